/** 4. Scale and memory: many open barriers held, worker memory as they grow, lag at that size. */
import { setTimeout as sleep } from 'node:timers/promises';
import { findByIds } from '../../store/point-reads.ts';
import { perSecond, say, type Harness } from '../lib/harness.ts';
import { writeReport } from '../lib/report.ts';
import { closedLoop, rssMiB } from '../lib/stats.ts';
import { measureLag } from './lag.ts';

export async function measureScale(h: Harness): Promise<void> {
  const heldStart = performance.now();
  const heldPrefix = h.barrierId('held', 0).slice(0, -7);
  await closedLoop(
    h.sizes.held,
    100,
    (i) => h.startDirect(h.barrierId('held', i), i, h.policy),
    (d) => say(`held: started ${d}/${h.sizes.held}`),
  );
  const heldDeadline = Date.now() + Math.max(120_000, h.sizes.held * 100);
  let heldOpen = 0;
  // Watched at the SMTP listener (each routed barrier tells its new owner),
  // then counted once in the read model.
  const assigned = () =>
    new Set(
      h.sink
        .messages()
        .filter((m) => m.kind === 'assigned' && m.key.startsWith(heldPrefix))
        .map((m) => m.key.split(':')[0]!),
    ).size;
  // Memory as the count grows, written as it is sampled: a run stopped early keeps it.
  h.result.holding = [];
  let sampledAt = -Infinity;
  const readMemory = async () => ({
    workerMiB: await rssMiB(h.workers[0]!.pid),
    temporalMiB: await rssMiB(h.pids.temporal),
    ferretdbMiB: await rssMiB(h.pids.ferret),
  });
  const sampleMemory = async (routed: number) => {
    h.result.holding!.push({
      atS: Math.round((performance.now() - heldStart) / 1000),
      routed,
      ...(await readMemory()),
    });
    writeReport(h.result);
    sampledAt = performance.now();
  };
  for (;;) {
    const routed = assigned();
    say(`held: ${routed}/${h.sizes.held} routed`);
    if (routed >= h.sizes.held || Date.now() > heldDeadline) break;
    if (performance.now() - sampledAt >= (h.options.quick ? 5_000 : 60_000))
      await sampleMemory(routed);
    await sleep(h.options.quick ? 1_000 : 5_000);
  }
  // Counted by key: a filter FerretDB cannot push down (a regex, say) would load
  // every document into FerretDB, and its memory reading below with them.
  let unconfirmed = Array.from({ length: h.sizes.held }, (_, i) => h.barrierId('held', i));
  for (;;) {
    const found = await findByIds(h.store.models.Barrier, unconfirmed, { _id: 1 });
    const projected = new Set(found.map((d) => d._id));
    unconfirmed = unconfirmed.filter((id) => !projected.has(id));
    heldOpen = h.sizes.held - unconfirmed.length;
    say(`held: ${heldOpen}/${h.sizes.held} projected`);
    if (heldOpen >= h.sizes.held || Date.now() > heldDeadline) break;
    await sleep(5_000);
  }
  const heldMs = performance.now() - heldStart;
  const memory = await readMemory();
  const lagAtScale = await measureLag(
    h,
    Math.min(200, h.options.quick ? 10 : h.sizes.lag),
    'lag at scale',
  );
  h.result.scale = {
    held: h.sizes.held,
    startedPerSecond: perSecond(h.sizes.held, heldMs),
    memory,
    lag: lagAtScale,
  };
  h.record({
    name: `Scale: ${h.sizes.held} open barriers`,
    rows: [
      {
        what: `started, routed and projected (${heldOpen}/${h.sizes.held})`,
        value: perSecond(heldOpen, heldMs),
        unit: '/s',
      },
      { what: 'worker RSS', value: memory.workerMiB ?? -1, unit: 'MiB' },
      { what: 'Temporal dev server RSS', value: memory.temporalMiB ?? -1, unit: 'MiB' },
      { what: 'FerretDB RSS', value: memory.ferretdbMiB ?? -1, unit: 'MiB' },
      {
        what: 'escalation lag at this size',
        value: lagAtScale.readModel.p99,
        unit: 'ms p99',
        detail: lagAtScale.readModel,
      },
    ],
    targets: [{ what: 'worker RSS under 1 GiB', met: (memory.workerMiB ?? 0) < 1024 }],
  });
}
