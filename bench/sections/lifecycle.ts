/** 1. Lifecycle throughput: barriers raised through the API against raw workflows, with CPU per item. */
import { perSecond, round2, type Harness } from '../lib/harness.ts';
import { cpuMeter, type closedLoop } from '../lib/stats.ts';

type Run = Awaited<ReturnType<typeof closedLoop>>;
export interface LifecycleRuns {
  raw: Run;
  life: Run;
  lifeRate: number;
}

export async function measureLifecycle(h: Harness): Promise<LifecycleRuns> {
  const n = h.sizes.throughput;
  // CPU per workflow and per barrier, by process: on a machine the load saturates,
  // the throughput ratio is close to the inverse of the CPU ratio, so this says why.
  const rawCpu = await cpuPerItem(h);
  const rawBefore = await h.rawRun(n, 'raw workflows');
  const rawPer = await rawCpu(n);
  const lifeCpu = await cpuPerItem(h);
  const lifeFirst = await h.raiseThroughApi(n, 'barriers raised');
  const lifePer = await lifeCpu(n);
  // Each is measured twice, alternately, and the faster run of each kept: one
  // stall of a run (two seconds in some runs here, on a machine whose speed
  // drifts) would otherwise decide the ratio, in either direction.
  const rawAfter = await h.rawRun(n, 'raw workflows again');
  const lifeAgain = await h.raiseThroughApi(n, 'barriers raised again');
  const raw = rawAfter.elapsedMs < rawBefore.elapsedMs ? rawAfter : rawBefore;
  const life = lifeAgain.elapsedMs < lifeFirst.elapsedMs ? lifeAgain : lifeFirst;
  const rawRate = perSecond(n, raw.elapsedMs);
  const lifeRate = perSecond(n, life.elapsedMs);
  h.record({
    name: 'Lifecycle throughput',
    rows: [
      {
        what: `raw workflows started and completed (the faster of ${perSecond(n, rawBefore.elapsedMs)} before the raises and ${perSecond(n, rawAfter.elapsedMs)} after)`,
        value: rawRate,
        unit: '/s',
      },
      {
        what: `barriers raised through the API, routed and projected (the faster of ${perSecond(n, lifeFirst.elapsedMs)} and ${perSecond(n, lifeAgain.elapsedMs)})`,
        value: lifeRate,
        unit: '/s',
      },
      {
        what: `CPU per raw workflow, the run before (${rawPer.detail})`,
        value: rawPer.total,
        unit: 'ms',
      },
      {
        what: `CPU per barrier, the first run (${lifePer.detail})`,
        value: lifePer.total,
        unit: 'ms',
      },
    ],
    ratio: { what: 'lifecycle / raw ceiling', value: round2(lifeRate / rawRate), target: 0.5 },
  });
  return { raw, life, lifeRate };
}

/**
 * Starts counting the CPU of every process the stack runs; the function it
 * returns stops and gives the CPU per item of `n`, in total and by process.
 */
export async function cpuPerItem(h: Harness) {
  const processes = {
    'bench clients': process.pid,
    API: h.pids.api,
    worker: h.workers[0]!.pid,
    Temporal: h.pids.temporal,
    FerretDB: h.pids.ferret,
  };
  // PostgreSQL runs a process per connection: counted with its children.
  const trees = { PostgreSQL: h.pids.postgres };
  const stop = await cpuMeter(processes, trees);
  return async (n: number) => {
    const cpu = await stop();
    const known = Object.entries(cpu).filter((e): e is [string, number] => e[1] !== null);
    const each = (ms: number) => Math.round((ms / n) * 10) / 10;
    return {
      total: each(known.reduce((a, [, ms]) => a + ms, 0)),
      detail: known.map(([k, ms]) => `${k} ${each(ms)}`).join(', '),
    };
  };
}
