/** Real child processes for tests: our entry points run with `tsx`, killed after the file. */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, inject } from 'vitest';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

export interface RunningScript {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs one of the project's TypeScript entry points as its own process. */
export function runScript(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
): RunningScript {
  let out = '';
  // One process (no tsx wrapper in between), so a signal reaches the program itself.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => out, exited };
}

/** Polls `check` until it holds, or fails naming `what`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 60_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * The PostgreSQL the suite's FerretDB runs on (undefined on SQLite): a test
 * that starts a FerretDB of its own, to stop and start it, puts it on the
 * same backend as the rest.
 */
export const sharedPostgres = (): string | undefined => inject('postgresqlUrl') || undefined;
