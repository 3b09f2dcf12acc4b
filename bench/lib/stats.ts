/** Percentiles and a closed-loop load driver. */

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
    const { readFile } = await import('node:fs/promises');
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export async function cpuMs(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const { readFile } = await import('node:fs/promises');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start at ") ": utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/**
 * CPU used by each named process over one measured stretch: calling it reads
 * the start; calling the function it returns gives ms per process since then
 * (null where a process cannot be read, such as a server the environment named).
 */
export async function cpuMeter(pids: Record<string, number | undefined>) {
  const read = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(pids).map(async ([k, pid]) => [k, await cpuMs(pid)] as const),
      ),
    );
  const before = await read();
  return async (): Promise<Record<string, number | null>> => {
    const after = await read();
    return Object.fromEntries(
      Object.keys(pids).map((k) => [
        k,
        before[k] == null || after[k] == null ? null : after[k] - before[k],
      ]),
    );
  };
}
