/**
 * The dashboard's totals, kept by the projection as deltas and folded into
 * snapshots (store/dashboard-rollups.ts), against FerretDB: every change is
 * counted once, through retries, late retries, folds at once and a fold that
 * stopped halfway, and they always equal a count of the whole read model.
 */
import { describe, expect } from 'vitest';
import { createProjectionActivities } from '../../activities/projection.ts';
import { BarrierMachine } from '../../domain/barrier/barrier-machine.ts';
import { S, T0, owner, routed, testDetails } from '../../domain/barrier/test-machine.ts';
import { AskMachine } from '../../domain/ask/ask-machine.ts';
import { toView } from '../../workflows/barrier/barrier-workflow.ts';
import { readDashboard, readDashboardStandingFigures } from '../../services/dashboard.ts';
import { LOCALITIES, STAGES, type Locality } from '../../domain/reference-data.ts';
import { standingFigures } from '../../domain/dashboard/figures.ts';
import { asksByOutcome } from '../../domain/dashboard/ask-outcomes.ts';
import { timeToResolve, totalKey, type Totals } from '../../domain/dashboard/totals.ts';
import {
  countTotals,
  foldDeltas,
  readTotals,
  rebuildRollups,
  rollupsNeedRebuild,
  writeDelta,
} from '../../store/dashboard-rollups.ts';
import type { Models } from '../../store/models.ts';
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

/**
 * Open barriers by locality and stage and the exact median working time to
 * resolve by stage, counted from the barriers the read model holds now: what
 * the dashboard counted before the projection kept these figures.
 */
async function standingFromReadModel(models: Models) {
  const barriers = await models.Barrier.find(
    {},
    { status: 1, locality: 1, stage: 1, raisedAt: 1, closedAt: 1, sla: 1 },
  ).lean();
  const openByLocalityAndStage = LOCALITIES.map((locality) => {
    const byStage = Object.fromEntries(
      STAGES.map((stage) => [
        stage,
        barriers.filter((b) => b.status === 'open' && b.locality === locality && b.stage === stage)
          .length,
      ]),
    );
    return { locality, byStage, total: Object.values(byStage).reduce((a, b) => a + b, 0) };
  });
  const medianResolveByStage = STAGES.map((stage) => {
    const spans = barriers
      .filter((b) => b.stage === stage)
      .map((b) => timeToResolve({ ...b, calendar: b.sla?.calendar }))
      .filter((t): t is number => t !== null)
      .sort((a, b) => a - b);
    const mid = spans.length >> 1;
    const median =
      spans.length === 0 ? 0 : spans.length % 2 ? spans[mid]! : (spans[mid - 1]! + spans[mid]!) / 2;
    return { label: stage, value: Math.round(median), n: spans.length };
  });
  return { openByLocalityAndStage, medianResolveByStage };
}

const gmcaActor = { email: 'gmca@example.org', role: 'gmca-triage' as const };
const H = 3_600_000;
const DAY = 86_400_000;

/** Barrier `id` raised at T0 in `locality` under the test machine's 24x7 policy, routed to its owner. */
function raisedIn(id: string, locality: Locality) {
  const m = BarrierMachine.raise({
    id,
    reference: id,
    raisedBy: lead.email,
    policy: fastPolicy(60),
    now: T0,
    details: { ...testDetails(), locality },
  });
  m.assign(owner, T0);
  return m;
}

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
      [totalKey('openAt', 'wigan|neighbourhood')]: 1,
      // Resolved at neighbourhood in 40 s and in 10 s (a 24x7 policy).
      [totalKey('resolvedIn', 'neighbourhood|40000')]: 1,
      [totalKey('resolvedIn', 'neighbourhood|10000')]: 1,
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

  it('keep open barriers by locality and stage and the time to resolve as the read model has them, through a varied life', async () => {
    const { models } = stack.store;
    const activities = createProjectionActivities(models, () => Promise.resolve());
    const project = async (m: BarrierMachine, retry = false) => {
      const input = batch(m);
      await activities.projectBarrier(input);
      if (retry) await activities.projectBarrier(input);
    };
    const escalate = (m: BarrierMachine, at: number) => {
      m.apply({ type: 'escalate', reason: 'stuck' }, lead, at);
      m.assign(owner, at);
    };
    const resolve = (m: BarrierMachine, at: number) =>
      m.apply({ type: 'resolve', resolution: 'fixed' }, lead, at);

    // Resolved at neighbourhood in 10 s and in 2 h 30 min (an even count: their mean).
    const quick = raisedIn('GT-7201', 'bury');
    await project(quick);
    resolve(quick, T0 + 10 * S);
    await project(quick, true);
    const slower = raisedIn('GT-7202', 'bolton');
    await project(slower);
    resolve(slower, T0 + 2.5 * H);
    await project(slower);
    // Escalated to locality, resolved in 3 days and 4 hours, reopened, resolved again in 5 days.
    const reopened = raisedIn('GT-7203', 'bury');
    await project(reopened);
    escalate(reopened, T0 + 20 * S);
    await project(reopened);
    resolve(reopened, T0 + 3 * DAY + 4 * H);
    await project(reopened);
    reopened.apply({ type: 'reopen', reason: 'back again' }, lead, T0 + 3 * DAY + 4 * H + 30 * S);
    reopened.assign(owner, T0 + 3 * DAY + 4 * H + 30 * S);
    await project(reopened, true);
    resolve(reopened, T0 + 5 * DAY);
    await project(reopened);
    // Up to GMCA, returned to the locality, open there.
    const returned = raisedIn('GT-7204', 'salford');
    await project(returned);
    escalate(returned, T0 + 20 * S);
    escalate(returned, T0 + 40 * S);
    await project(returned);
    returned.apply({ type: 'return', reason: 'a locality matter' }, gmcaActor, T0 + 50 * S);
    returned.assign(owner, T0 + 50 * S);
    await project(returned, true);
    // Up to GMCA, promoted into an ask, closed when Whitehall agrees: resolved at whitehall.
    const agreed = raisedIn('GT-7205', 'salford');
    await project(agreed);
    escalate(agreed, T0 + 20 * S);
    escalate(agreed, T0 + 40 * S);
    await project(agreed);
    agreed.apply({ type: 'promote', askId: 'ASK-7201' }, gmcaActor, T0 + 45 * S);
    await project(agreed);
    await foldDeltas(models);
    agreed.askNews(
      { type: 'outcome', askId: 'ASK-7201', outcome: 'agreed', response: 'yes' },
      T0 + 12 * H,
    );
    await project(agreed, true);
    // Withdrawn: neither open nor resolved.
    const withdrawn = raisedIn('GT-7206', 'bury');
    await project(withdrawn);
    withdrawn.apply({ type: 'withdraw', reason: 'raised twice' }, lead, T0 + 5 * S);
    await project(withdrawn);
    // Open at neighbourhood, escalated to locality.
    const stillOpen = raisedIn('GT-7207', 'bury');
    await project(stillOpen);
    escalate(stillOpen, T0 + 30 * S);
    await project(stillOpen);

    const kept = await readTotals(models);
    expect(plain(kept)).toEqual(plain(await countTotals(models)));
    const fromReadModel = await standingFromReadModel(models);
    expect(standingFigures(kept!)).toEqual(fromReadModel);
    // What the page shows, from the kept totals.
    await markChanged(models, 'barriers');
    const shown = await readDashboardStandingFigures({ models });
    expect(shown).toMatchObject(fromReadModel);
    expect(shown.openByLocalityAndStage.find((r) => r.locality === 'bury')).toEqual({
      locality: 'bury',
      byStage: { neighbourhood: 0, locality: 1, gmca: 0, whitehall: 0 },
      total: 1,
    });
    expect(shown.openByLocalityAndStage.find((r) => r.locality === 'salford')?.byStage).toEqual({
      neighbourhood: 0,
      locality: 1,
      gmca: 0,
      whitehall: 0,
    });
    const byStage = Object.fromEntries(shown.medianResolveByStage.map((r) => [r.label, r]));
    expect(byStage.locality).toEqual({ label: 'locality', value: 5 * DAY, n: 1 });
    expect(byStage.whitehall).toEqual({ label: 'whitehall', value: 12 * H, n: 1 });

    // Folded, and then counted afresh by a rebuild: the same figures.
    await foldDeltas(models);
    expect(standingFigures((await readTotals(models))!)).toEqual(fromReadModel);
    await rebuildRollups(models);
    expect(plain(await readTotals(models))).toEqual(plain(kept));
    expect(standingFigures((await readTotals(models))!)).toEqual(fromReadModel);
  });

  it('are counted from scratch while the latest snapshot lacks what they keep now, until rebuilt', async () => {
    const { models } = stack.store;
    // A store whose totals were counted before they kept open barriers by locality and stage
    // and time to resolve: its snapshot has no version, its barriers no time to resolve.
    const latest = (await models.DashboardSnapshot.find({}, { _id: 1 }).lean()).at(-1)!._id;
    await models.DashboardSnapshot.updateOne({ _id: latest }, { $unset: { version: 1 } });
    await models.Barrier.updateMany({}, { $unset: { resolvedInMs: 1 } });
    await markChanged(models, 'barriers');
    expect(await rollupsNeedRebuild(models)).toBe(true);
    expect(await readTotals(models)).toBeNull();
    const fromReadModel = await standingFromReadModel(models);
    expect(await readDashboardStandingFigures({ models })).toMatchObject(fromReadModel);
    // Folding keeps the older version: deltas do not make up for what the snapshot lacks.
    await writeDelta(models, 'GT-old:1', {
      counts: new Map([[totalKey('open', 'funding'), 1]]),
      breaches: [],
    });
    await foldDeltas(models);
    expect(await readTotals(models)).toBeNull();

    const rebuilt = await rebuildRollups(models);
    expect(rebuilt).toMatchObject({ snapshot: latest + 2 });
    expect(await rollupsNeedRebuild(models)).toBe(false);
    expect(standingFigures((await readTotals(models))!)).toEqual(fromReadModel);
    // The rebuild gave every resolved barrier its time to resolve, so reopening one takes it away.
    const quick = await models.Barrier.findById('GT-7201', { resolvedInMs: 1 }).lean();
    expect(quick?.resolvedInMs).toBe(10 * S);
    const activities = createProjectionActivities(models, () => Promise.resolve());
    const again = raisedIn('GT-7201', 'bury');
    again.takeEvents();
    again.apply({ type: 'resolve', resolution: 'fixed' }, lead, T0 + 10 * S);
    again.apply({ type: 'reopen', reason: 'not fixed' }, lead, T0 + 20 * S);
    again.assign(owner, T0 + 20 * S);
    await activities.projectBarrier(batch(again));
    expect(plain(await readTotals(models))).toEqual(plain(await countTotals(models)));
    expect(standingFigures((await readTotals(models))!)).toEqual(
      await standingFromReadModel(models),
    );
  });

  it('serve asks by outcome from memory until the ask projection says they changed', async () => {
    const { models } = stack.store;
    const activities = createProjectionActivities(models, () => Promise.resolve());
    const ask = AskMachine.create({
      id: 'ASK-7301',
      reference: 'ASK-7301',
      title: 'Share the data',
      department: 'dwp',
      ask: 'Please share it',
      createdBy: gmcaActor.email,
      owner: { email: gmcaActor.email, name: 'G' },
      barrierIds: ['GT-7204'],
      policy: fastPolicy(60),
      now: T0,
    });
    const projectAsk = () =>
      activities.projectAsk({ view: { ...ask.state }, events: ask.takeEvents() });
    const outcomes = async () =>
      Object.fromEntries(
        (await readDashboardStandingFigures({ models })).asksByOutcome.map((r) => [
          r.label,
          r.value,
        ]),
      );
    // Kept from the first view, before any ask was projected: the store began the stamp.
    const none = await outcomes();
    await models.Ask.collection.insertOne({ _id: 'ASK-7300', status: 'submitted' } as never);
    expect(await outcomes()).toEqual(none);
    await models.Ask.deleteOne({ _id: 'ASK-7300' });
    await projectAsk();
    const before = await outcomes();
    ask.apply({ type: 'submit' }, gmcaActor, T0 + S);
    await projectAsk();
    expect(await outcomes()).toEqual({ ...before, awaiting: before.awaiting! + 1 });
    ask.apply(
      { type: 'record-response', outcome: 'declined', response: 'no' },
      gmcaActor,
      T0 + 2 * S,
    );
    await projectAsk();
    const answered = await outcomes();
    expect(answered).toEqual({ ...before, declined: before.declined! + 1 });
    expect(answered).toEqual(
      Object.fromEntries(
        asksByOutcome(await models.Ask.find({}, { status: 1, outcome: 1 }).lean()).map((r) => [
          r.label,
          r.value,
        ]),
      ),
    );
    // A write behind the projection's back is not seen until the asks are marked changed.
    await models.Ask.updateOne({ _id: 'ASK-7301' }, { $set: { outcome: 'agreed' } });
    expect(await outcomes()).toEqual(answered);
    await markChanged(models, 'asks');
    expect(await outcomes()).toEqual({ ...before, agreed: before.agreed! + 1 });
  });
});
