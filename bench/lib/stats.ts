/** Percentiles and a closed-loop load driver. */
import { readFile, readdir } from 'node:fs/promises';

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : 0;
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    n: s.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(s.at(-1) ?? 0),
    mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
  };
}

/**
 * Runs `task(i)` for i in [0, total) with `concurrency` in flight (a closed
 * loop), returning each call's latency in ms and the wall-clock total.
 */
export async function closedLoop(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
  onProgress?: (done: number) => void,
): Promise<{ latencies: number[]; elapsedMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  let said = started;
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const t = performance.now();
      await task(i);
      latencies.push(performance.now() - t);
      // A progress line every two seconds, and at the end.
      const now = performance.now();
      if (onProgress && (now - said > 2_000 || latencies.length === total)) {
        said = now;
        onProgress(latencies.length);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  return { latencies, elapsedMs: performance.now() - started };
}

/** Resident set size of a process in MiB, from /proc (Linux). */
export async function rssMiB(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** One process's /proc stat: its parent, and CPU (user + system) in ms, its own and its reaped children's. */
async function procStat(pid: number) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may hold spaces) start at ") ": ppid is the 4th,
  // utime and stime the 14th and 15th, cutime and cstime the 16th and 17th.
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const ms = (ticks: number) => (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  return { ppid: f[1]!, own: ms(f[11]! + f[12]!), reaped: ms(f[13]! + f[14]!) };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export async function cpuMs(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    return (await procStat(pid)).own;
  } catch {
    return null;
  }
}

/**
 * CPU time of a process and all its descendants, live or reaped: for a server
 * that forks a process per connection (PostgreSQL).
 */
export async function treeCpuMs(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const all = new Map<number, Awaited<ReturnType<typeof procStat>>>();
    for (const name of await readdir('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      // A process may end between the listing and the read.
      const s = await procStat(Number(name)).catch(() => null);
      if (s) all.set(Number(name), s);
    }
    if (!all.has(pid)) return null;
    const inTree = (p: number): boolean => {
      for (let q = p; q > 1; q = all.get(q)?.ppid ?? 0) if (q === pid) return true;
      return false;
    };
    // Each process's own CPU, and that of its children that have ended (and were waited for).
    let total = 0;
    for (const [p, s] of all) if (inTree(p)) total += s.own + s.reaped;
    return total;
  } catch {
    return null;
  }
}

/**
 * CPU used by each named process over one measured stretch: calling it reads
 * the start; calling the function it returns gives ms per process since then
 * (null where a process cannot be read, such as a server the environment named).
 * `trees` are counted with all their descendants (see treeCpuMs).
 */
export async function cpuMeter(
  pids: Record<string, number | undefined>,
  trees: Record<string, number | undefined> = {},
) {
  const read = async () =>
    Object.fromEntries(
      await Promise.all([
        ...Object.entries(pids).map(async ([k, pid]) => [k, await cpuMs(pid)] as const),
        ...Object.entries(trees).map(async ([k, pid]) => [k, await treeCpuMs(pid)] as const),
      ]),
    );
  const before = await read();
  return async (): Promise<Record<string, number | null>> => {
    const after = await read();
    return Object.fromEntries(
      [...Object.keys(pids), ...Object.keys(trees)].map((k) => [
        k,
        before[k] == null || after[k] == null ? null : after[k] - before[k],
      ]),
    );
  };
}
