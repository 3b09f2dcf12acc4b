/**
 * The dashboard's totals, kept by the projection as deltas and folded into
 * snapshots (store/dashboard-rollups.ts), against FerretDB: every change is
 * counted once, through retries, late retries, folds at once and a fold that
 * stopped halfway, and they always equal a count of the whole read model.
 */
import { describe, expect } from 'vitest';
import { createProjectionActivities } from '../../activities/projection.ts';
import type { BarrierMachine } from '../../domain/barrier/barrier-machine.ts';
import { S, T0, routed, testDetails } from '../../domain/barrier/test-machine.ts';
import { toView } from '../../workflows/barrier/barrier-workflow.ts';
import { readDashboard } from '../../services/dashboard.ts';
import { totalKey, type Totals } from '../../domain/dashboard/totals.ts';
import {
  countTotals,
  foldDeltas,
  readTotals,
  rebuildRollups,
  writeDelta,
} from '../../store/dashboard-rollups.ts';
import { markChanged } from '../../store/read-cache.ts';
import { fastPolicy } from '../support/policies.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

const it = stackTest('dashboard-rollups', { stack: { seed: false }, worker: false });
let stack: TestStack;
it.beforeAll(({ stack: s }) => {
  stack = s;
});
const lead = { email: 'owner@example.org', role: 'neighbourhood-lead' as const };

/** Comparable: counts sorted by key, breaches ascending. */
const plain = (t: Totals | null) => ({
  counts: Object.fromEntries([...(t?.counts ?? [])].sort(([a], [b]) => a.localeCompare(b))),
  breaches: [...(t?.breaches ?? [])].sort((a, b) => a - b),
});

/** The projection's input for what `m` did since the last batch taken. */
const batch = (m: BarrierMachine) => ({
  workflowId: `barrier-${m.state.id}`,
  view: toView(m),
  events: m.takeEvents(),
});

describe('the dashboard totals', () => {
  it('count every change once, through retries, late retries and folds', async () => {
    const { models } = stack.store;
    const activities = createProjectionActivities(models, () => Promise.resolve());
    const projectBarrier = (input: ReturnType<typeof batch>) => activities.projectBarrier(input);
    const late = routed('GT-7101', fastPolicy(60));
    const onTime = routed('GT-7102', fastPolicy(60));
    const stillOpen = routed('GT-7103', fastPolicy(60));
    const late1 = batch(late);
    late.tick(T0 + 31 * S); // the acknowledgement falls due unmet
    const late2 = batch(late);
    late.apply({ type: 'resolve', resolution: 'fixed' }, lead, T0 + 40 * S);
    const late3 = batch(late);
    const onTime1 = batch(onTime);
    onTime.apply({ type: 'acknowledge' }, lead, T0 + 5 * S);
    onTime.apply({ type: 'resolve', resolution: 'fixed' }, lead, T0 + 10 * S);
    const onTime2 = batch(onTime);

    await projectBarrier(late1);
    await projectBarrier(late1); // a retry
    await foldDeltas(models);
    await projectBarrier(late2);
    await projectBarrier(onTime1);
    await projectBarrier(onTime2);
    await foldDeltas(models);
    await projectBarrier(late1); // a late retry, its delta folded two snapshots ago
    await projectBarrier(onTime1); // a late retry of an older change
    await projectBarrier(batch(stillOpen));
    await projectBarrier(late3);
    await projectBarrier(late2);

    const kept = await readTotals(models);
    const counted = await countTotals(models);
    expect(plain(kept)).toEqual(plain(counted));
    expect(plain(kept).counts).toEqual({
      [totalKey('closed', 'wigan')]: 2,
      [totalKey('onTime', 'wigan')]: 1,
      [totalKey('open', testDetails().category)]: 1,
      [totalKey('entered', 'neighbourhood')]: 3,
      [totalKey('missed', 'neighbourhood')]: 1,
    });
    expect(plain(kept).breaches).toEqual([T0 + 30 * S]);
    // Folding changes where the totals are kept, not what they are.
    await foldDeltas(models);
    expect(plain(await readTotals(models))).toEqual(plain(counted));
    const figures = await readDashboard({ models }, T0 + 60 * S);
    expect(figures.byLocality).toEqual([{ label: 'wigan', value: 50, n: 2 }]);
    expect(figures.byStage[0]).toEqual({ label: 'neighbourhood', value: 67, n: 3 });
  });

  it('count a delta once when folds race and when a fold stopped before marking', async () => {
    const { models } = stack.store;
    const before = plain(await readTotals(models));
    const one = (i: number) => ({
      counts: new Map([[totalKey('open', `race-${i % 3}`), 1]]),
      breaches: [T0 + i],
    });
    for (let i = 0; i < 30; i++) await writeDelta(models, `GT-race:${i}`, one(i));
    // Four folds and reads at once: each delta in exactly one snapshot, or none yet.
    const reads = await Promise.all([
      foldDeltas(models),
      readTotals(models),
      foldDeltas(models),
      readTotals(models),
      foldDeltas(models),
      foldDeltas(models),
      readTotals(models),
    ]);
    const expected = (n: number) => ({
      ...before.counts,
      [totalKey('open', 'race-0')]: Math.ceil(n / 3),
      [totalKey('open', 'race-1')]: Math.ceil((n - 1) / 3),
      [totalKey('open', 'race-2')]: Math.ceil((n - 2) / 3),
    });
    for (const r of reads.filter((r) => typeof r === 'object'))
      expect(plain(r as Totals).counts).toEqual(expected(30));
    expect(plain(await readTotals(models)).counts).toEqual(expected(30));

    // A fold that wrote its snapshot and stopped before marking its deltas folded.
    for (let i = 30; i < 36; i++) await writeDelta(models, `GT-race:${i}`, one(i));
    await foldDeltas(models);
    await models.DashboardDelta.updateMany(
      { _id: { $in: [30, 31, 32, 33, 34, 35].map((i) => `GT-race:${i}`) } },
      { $set: { folded: false } },
    );
    expect(plain(await readTotals(models)).counts).toEqual(expected(36));
    await writeDelta(models, 'GT-race:36', one(36));
    await foldDeltas(models);
    expect(plain(await readTotals(models)).counts).toEqual(expected(37));
    expect(await models.DashboardDelta.countDocuments({ folded: false })).toBe(0);
  });

  it('are counted from scratch on a store made before them, until rebuilt', async () => {
    const { models } = stack.store;
    // A store from before totals were kept: no snapshot, and deltas for only some barriers.
    await models.DashboardSnapshot.deleteMany({});
    await models.DashboardDelta.deleteMany({ _id: /^GT-race:/ });
    await markChanged(models, 'barriers');
    expect(await readTotals(models)).toBeNull();
    const counted = await readDashboard({ models }, T0 + 60 * S);
    expect(counted.byLocality).toEqual([{ label: 'wigan', value: 50, n: 2 }]);
    expect(counted.byStage[0]).toEqual({ label: 'neighbourhood', value: 67, n: 3 });
    expect(counted.breachesByWeek.at(-1)?.value).toBe(1);

    const rebuilt = await rebuildRollups(models);
    expect(rebuilt.barriersBreached).toBe(1);
    expect(plain(await readTotals(models))).toEqual(plain(await countTotals(models)));
    // A barrier projected after the rebuild changes the totals from there.
    const activities = createProjectionActivities(models, () => Promise.resolve());
    await activities.projectBarrier(batch(routed('GT-7104', fastPolicy(60))));
    expect(plain(await readTotals(models))).toEqual(plain(await countTotals(models)));
    await markChanged(models, 'barriers');
    expect((await readDashboard({ models }, T0 + 60 * S)).byStage[0]).toEqual({
      label: 'neighbourhood',
      value: 75,
      n: 4,
    });
  });
});
