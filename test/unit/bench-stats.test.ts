/**
 * The benchmark's CPU readings: a server that forks (PostgreSQL runs a process
 * per connection) must be counted with its children, live and ended.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { cpuMs, treeCpuMs } from '../../bench/lib/stats.ts';

/** Node code that spins until it has used `ms` of CPU (not wall time: the machine may be busy). */
const burnCpu = (ms: number) =>
  `const u = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; }; while (u() < ${ms});`;

/** A shell whose child (a grandchild of this test) burns `ms` of CPU, then waits for stdin to close. */
function forkingServer(ms: number) {
  const burn = `${burnCpu(ms)} console.log('burnt'); process.stdin.resume();`;
  const shell = spawn('sh', ['-c', `"${process.execPath}" -e "${burn}"`], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return shell;
}

describe('treeCpuMs', () => {
  it('counts the CPU of descendants while they run and after they end', async () => {
    const shell = forkingServer(400);
    await once(shell.stdout, 'data');
    const pid = shell.pid!;

    const own = await cpuMs(pid);
    const live = await treeCpuMs(pid);
    expect(own).not.toBeNull();
    expect(own!).toBeLessThan(100); // the shell itself only waits
    expect(live!).toBeGreaterThanOrEqual(350); // its child burnt 400 ms (/proc counts in 10 ms ticks)

    shell.stdin.end(); // the child ends and the shell reaps it, then exits
    await once(shell, 'exit');
    expect(await treeCpuMs(pid)).toBeNull(); // gone: nothing to read
  });

  it('keeps the CPU of a child that has ended in a live parent', async () => {
    // This test process is the live parent: a child that burnt CPU and was reaped stays in its total.
    const before = (await treeCpuMs(process.pid))!;
    const ownBefore = (await cpuMs(process.pid))!;
    const child = spawn(process.execPath, ['-e', burnCpu(300)]);
    await once(child, 'exit');
    const after = (await treeCpuMs(process.pid))!;
    const ownGrowth = (await cpuMs(process.pid))! - ownBefore;
    expect(after - before).toBeGreaterThanOrEqual(250); // it burnt 300 ms
    expect(after - before).toBeGreaterThan(ownGrowth);
  });

  it('is null for a process that does not exist', async () => {
    expect(await treeCpuMs(undefined)).toBeNull();
    expect(await treeCpuMs(2 ** 22 + 7)).toBeNull();
  });
});
