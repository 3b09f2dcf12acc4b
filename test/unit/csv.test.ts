import { describe, expect, it } from 'vitest';
import { toCsv } from '../../services/csv.ts';

describe('toCsv', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['x, y', 'say "hi"'],
        ['=SUM(A1)', '-1'],
        [null, 'line\nbreak'],
      ],
    );
    expect(csv).toBe('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\'=SUM(A1),\'-1\r\n,"line\nbreak"\r\n');
  });
});
