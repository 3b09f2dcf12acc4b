/**
 * The alert rules in deploy/prometheus, checked by Prometheus's own promtool
 * (built from its Go module into the cache, like the other servers): the
 * rules parse and their PromQL is valid, and their unit tests
 * (alerts.test.yml) pass — each alert fires when it should and stays quiet
 * when it should not.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLocalStackConfig } from '../../scripts/lib/local-stack-config.ts';
import { ensurePromtool } from '../../scripts/servers/promtool.ts';

const run = promisify(execFile);
const DIR = new URL('../../deploy/prometheus/', import.meta.url).pathname;
let promtool: string;

beforeAll(async () => {
  promtool = await ensurePromtool(loadLocalStackConfig().cacheDir);
}, 900_000);

/** Runs promtool; its exit code and everything it printed. */
async function promtoolRun(args: string[], cwd = DIR): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(promtool, args, { cwd });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the alert rules', () => {
  it('pass promtool check rules', async () => {
    const { code, out } = await promtoolRun(['check', 'rules', 'alerts.yml']);
    expect(code, out).toBe(0);
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('pass their unit tests (promtool test rules)', async () => {
    const { code, out } = await promtoolRun(['test', 'rules', 'alerts.test.yml']);
    expect(code, out).toBe(0);
    expect(out).toContain('SUCCESS');
  });

  it('would catch a broken rule and a wrong expectation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gt-alerts-'));
    const rules = readFileSync(join(DIR, 'alerts.yml'), 'utf8');
    writeFileSync(
      join(dir, 'alerts.yml'),
      rules.replace('> 0.05', '> > 0.05'), // a PromQL syntax error
    );
    expect((await promtoolRun(['check', 'rules', 'alerts.yml'], dir)).code).not.toBe(0);
    // The real rules, with a threshold an alert's test relies on moved: its test fails.
    writeFileSync(join(dir, 'alerts.yml'), rules.replace('> 0.05', '> 0.5'));
    writeFileSync(join(dir, 'alerts.test.yml'), readFileSync(join(DIR, 'alerts.test.yml'), 'utf8'));
    const moved = await promtoolRun(['test', 'rules', 'alerts.test.yml'], dir);
    expect(moved.code).not.toBe(0);
    expect(moved.out).toContain('GoldenThreadServerErrors');
  });
});
