import { describe, expect, it } from 'vitest';
import { UsageError, parseBenchOptions } from '../../bench/lib/options.ts';

const parse = (...args: string[]) => parseBenchOptions(args, '/tmp/results');

describe('the bench command line', () => {
  it('runs every section at the default size unless told otherwise', () => {
    const o = parse();
    expect([...o.only]).toEqual([
      'lifecycle',
      'api',
      'lag',
      'scale',
      'horizontal',
      'import',
      'webhooks',
      'observability',
    ]);
    expect(o).toMatchObject({ quick: false, large: false, database: 'postgresql', partial: false });
    expect(o.sizes.store).toBe(10_000);
    expect(parse('--quick').sizes.store).toBe(1_000);
    expect(parse('--scale', 'large', '--database', 'postgresql').sizes.held).toBe(100_000);
  });

  it('keeps the sections --only names, in its order', () => {
    const o = parse('--only', 'lifecycle,lag,api');
    expect([...o.only]).toEqual(['lifecycle', 'lag', 'api']);
    expect(o.partial).toBe(true);
  });

  it.each([
    [['--only', 'speed'], /--only takes sections among/],
    [['--only', 'api'], /measured against lifecycle/],
    [['--quick', '--scale', 'large'], /two different sizes/],
    [['--scale', 'huge'], /--scale must be large/],
    [['--database', 'mysql'], /--database must be sqlite or postgresql/],
    [['--without-id-index', '--database', 'sqlite'], /is for PostgreSQL/],
    [['--bogus'], /bogus/],
  ])('refuses %j, saying why', (args, reason) => {
    expect(() => parse(...args)).toThrow(UsageError);
    expect(() => parse(...args)).toThrow(reason);
  });
});
