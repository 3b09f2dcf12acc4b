/**
 * The SLA dashboard's totals, kept by the projection, so that reading them
 * costs the same however many barriers have closed and however long their
 * timelines are (#19).
 *
 * The totals are counts under keys and the times of recent breaches; what a
 * barrier adds to them, and how they add up, is arithmetic
 * (domain/dashboard/totals.ts), as are the figures worked out from them
 * (domain/dashboard/figures.ts). This module stores and reads them.
 *
 * Without transactions (FerretDB 1.x has none, and runs an update as a read
 * and a write) no counter can be incremented exactly once. So:
 *
 * - **Deltas.** Each projection of a barrier that changes a total inserts a
 *   delta, by `<barrier>:<seq>`: its standing before (the stored document)
 *   taken away, its standing after added, and the new events counted. A retry
 *   computes the same delta under the same `_id` and is refused. The delta is
 *   written before the barrier document, so a retry after a failure between
 *   the two finds the document where it was and writes the same delta again.
 *   Deltas are kept once folded (marked `folded`), so a late retry is refused
 *   then too.
 * - **Snapshots.** A fold (the worker, every few seconds: worker/dashboard-fold.ts) inserts snapshot
 *   n+1: snapshot n plus every delta not yet folded, listing them. Only one
 *   insert of n+1 can succeed (`_id`), so two folds at once cannot both count
 *   a delta. After the insert the fold marks its deltas folded; the fold of
 *   n+2 marks n+1's first, in case the fold of n+1 stopped in between.
 * - **Reading.** The latest snapshot, plus the deltas not marked folded,
 *   less those listed by any snapshot from the first one seen: read in that
 *   order, no delta is counted twice or missed however folds interleave
 *   ({@link readTotals}). So a read costs one snapshot and the deltas since
 *   the last fold, whatever the history.
 *
 * A store made before totals were kept has no snapshot and barriers without
 * deltas; one whose latest snapshot was counted before the totals counted all
 * they count now has a snapshot of an older {@link TOTALS_VERSION}, lacking
 * keys. Either way {@link readTotals} answers null and the dashboard counts the
 * whole read model (as {@link countTotals} does), until
 * `npm run rollups:rebuild` (with the workers stopped) writes a snapshot of it
 * ({@link rebuildRollups}). The worker says so when it starts.
 */
import {
  isEmpty,
  sumTotals,
  timeToResolve,
  totalsOf,
  type Totals,
} from '../domain/dashboard/totals.ts';
import { insertUnlessThere } from './errors.ts';
import type { Models } from './models.ts';
import { setByIds, setEachById } from './point-reads.ts';

/**
 * What a snapshot's counts count. Raise it whenever the totals count
 * something new (a kind of count in domain/dashboard/totals.ts, or a change
 * to what one counts): the snapshots before it lack those counts, so they are
 * not read until a rebuild.
 */
export const TOTALS_VERSION = 2;

interface StoredTotals {
  counts?: { k?: string | null; n?: number | null }[] | null;
  breaches?: number[] | null;
}

const toStored = (t: Totals) => ({
  counts: [...t.counts].map(([k, n]) => ({ k, n })),
  breaches: [...t.breaches],
});

const fromStored = (s: StoredTotals): Totals => ({
  counts: new Map((s.counts ?? []).map((c) => [c.k ?? '', c.n ?? 0])),
  breaches: s.breaches ?? [],
});

/**
 * Records what projection `id` (`<barrier>:<seq>`) changed: once, however
 * often it is retried. Nothing is written for a change that changes nothing.
 */
export async function writeDelta(
  models: Pick<Models, 'DashboardDelta'>,
  id: string,
  delta: Totals,
): Promise<void> {
  if (isEmpty(delta)) return;
  // Refused when an earlier try of the same projection wrote it: the same change.
  await insertUnlessThere(models.DashboardDelta.collection, {
    _id: id,
    ...toStored(delta),
    folded: false,
    at: new Date(),
  });
}

/** How long a snapshot keeps a breach: the dashboard's eight weeks, and one to spare. */
const KEEP_BREACHES_MS = 9 * 7 * 86_400_000;

/**
 * Snapshots kept behind the latest, for readers that began at an older one (a
 * read takes milliseconds, a fold comes every few seconds). Few, because
 * FerretDB decodes every snapshot, with its list of deltas, to find the latest.
 */
const KEEP_SNAPSHOTS = 3;

/** The most deltas one fold takes, so that a fold after a long pause stays short. */
const FOLD_AT_MOST = 2_000;

type SnapshotDoc = StoredTotals & {
  _id: number;
  folded?: string[] | null;
  version?: number | null;
};

/** True when a snapshot counts what the totals count now. */
const current = (s: Pick<SnapshotDoc, 'version'>) => (s.version ?? 1) >= TOTALS_VERSION;
type DeltaDoc = StoredTotals & { _id: string };

/** The number of the latest snapshot, or null when there is none. */
async function latestSnapshot(models: Models): Promise<number | null> {
  // A handful of documents: read them all, rather than ask FerretDB to sort.
  const ids = await models.DashboardSnapshot.find({}, { _id: 1 }).lean<{ _id: number }[]>();
  return ids.length === 0 ? null : Math.max(...ids.map((s) => s._id));
}

/**
 * Starts the totals on a store that has no barriers yet: an empty snapshot 0,
 * to which every barrier's deltas add. A store that has barriers but no
 * snapshot was made before totals were kept: it is left for
 * `npm run rollups:rebuild`, and read from scratch meanwhile.
 */
export async function beginRollups(models: Models): Promise<void> {
  if ((await latestSnapshot(models)) !== null) return;
  if (await models.Barrier.findOne({}, { _id: 1 }).lean()) return;
  await insertSnapshot(models, 0, { counts: new Map(), breaches: [] }, [], TOTALS_VERSION);
}

/**
 * True when the dashboard's totals cannot be read until `npm run
 * rollups:rebuild`: the store has barriers but no snapshot, or its latest
 * snapshot was counted before the totals counted all they count now.
 */
export async function rollupsNeedRebuild(models: Models): Promise<boolean> {
  const n = await latestSnapshot(models);
  if (n === null) return (await models.Barrier.findOne({}, { _id: 1 }).lean()) !== null;
  const latest = await models.DashboardSnapshot.findById(n, { version: 1 }).lean<SnapshotDoc>();
  return latest !== null && !current(latest);
}

/** Inserts snapshot `n`; false when another fold wrote it first. */
async function insertSnapshot(
  models: Models,
  n: number,
  totals: Totals,
  folded: string[],
  version: number,
): Promise<boolean> {
  return insertUnlessThere(models.DashboardSnapshot.collection, {
    _id: n,
    ...toStored(totals),
    folded,
    version,
    at: new Date(),
  });
}

/** Marks deltas folded. */
const markFolded = (models: Models, ids: readonly string[]) =>
  setByIds(models.DashboardDelta, ids, { folded: true });

const unfoldedDeltas = (models: Models, limit?: number) => {
  const q = models.DashboardDelta.find({ folded: false }, { counts: 1, breaches: 1 });
  return (limit ? q.limit(limit) : q).lean<DeltaDoc[]>();
};

/**
 * The totals now, or null when the store has no snapshot (made before totals
 * were kept) or only one that lacks counts they keep now. Reads the latest snapshot's number, then the deltas not yet
 * folded, then the snapshots from that number on: a delta folded meanwhile is
 * in one of those and counted there only; one folded before was marked before
 * the first snapshot read was written, so it is not among the deltas read.
 */
export async function readTotals(models: Models): Promise<Totals | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const first = await latestSnapshot(models);
    if (first === null) return null;
    const deltas = await unfoldedDeltas(models);
    const snapshots = (
      await models.DashboardSnapshot.find({ _id: { $gte: first } }).lean<SnapshotDoc[]>()
    ).sort((a, b) => a._id - b._id);
    const latest = snapshots.at(-1);
    // Every snapshot from the first on must be there; a rebuild may have replaced them.
    if (!latest || snapshots[0]!._id !== first || latest._id - first !== snapshots.length - 1)
      continue;
    if (!current(latest)) return null;
    const folded = new Set(snapshots.flatMap((s) => s.folded ?? []));
    return sumTotals([
      fromStored(latest),
      ...deltas.filter((d) => !folded.has(d._id)).map(fromStored),
    ]);
  }
  throw new Error('the dashboard snapshots kept changing while they were read');
}

/**
 * Folds the deltas not yet folded into a new snapshot. Returns the latest
 * snapshot's number afterwards (null: no snapshot, nothing to fold into).
 * Safe to run anywhere at once: a fold that loses the race for its number
 * writes nothing.
 */
export async function foldDeltas(models: Models, now = Date.now()): Promise<number | null> {
  const n = await latestSnapshot(models);
  if (n === null) return null;
  const snapshot = await models.DashboardSnapshot.findById(n).lean<SnapshotDoc>();
  if (!snapshot) return n; // replaced by a rebuild meanwhile
  // Its fold may have stopped before marking them: mark them before folding anything else.
  await markFolded(models, snapshot.folded ?? []);
  const deltas = await unfoldedDeltas(models, FOLD_AT_MOST);
  if (deltas.length === 0) return n;
  const sum = sumTotals([fromStored(snapshot), ...deltas.map(fromStored)]);
  const totals = { ...sum, breaches: sum.breaches.filter((t) => t > now - KEEP_BREACHES_MS) };
  const ids = deltas.map((d) => d._id);
  // Folded in, deltas do not make up for what an older snapshot lacks: its version stays.
  if (!(await insertSnapshot(models, n + 1, totals, ids, snapshot.version ?? 1))) return n + 1;
  await markFolded(models, ids);
  await models.DashboardSnapshot.deleteMany({ _id: { $lt: n + 1 - KEEP_SNAPSHOTS } });
  return n + 1;
}

/**
 * The totals counted from the whole read model: every closed and open
 * barrier and every routed and breached event. What {@link readTotals}
 * answers in two reads, at a cost that grows with the history. Also says
 * which barriers ever missed a deadline and each resolved one's working time
 * to resolve where its document says otherwise, for {@link rebuildRollups}.
 */
export async function countTotals(models: Models): Promise<
  Totals & {
    breachedIds: string[];
    resolvedInMs: { id: string; fields: { resolvedInMs: number | null } }[];
  }
> {
  const [barriers, breachedIds, events] = await Promise.all([
    models.Barrier.find(
      { status: { $in: ['open', 'resolved', 'closed'] } },
      {
        status: 1,
        locality: 1,
        category: 1,
        stage: 1,
        raisedAt: 1,
        closedAt: 1,
        sla: 1,
        resolvedInMs: 1,
      },
    ).lean(),
    models.TimelineEvent.distinct('barrierId', { type: 'breached' }),
    models.TimelineEvent.find(
      { type: { $in: ['routed', 'breached'] } },
      { type: 1, stage: 1, at: 1 },
    ).lean(),
  ]);
  const breached = new Set(breachedIds.map(String));
  const standings = barriers.map((b) => ({
    _id: b._id,
    stored: b.resolvedInMs ?? null,
    status: b.status,
    locality: b.locality,
    category: b.category,
    stage: b.stage,
    everBreached: breached.has(b._id),
    resolvedInMs: timeToResolve({ ...b, calendar: b.sla?.calendar }),
  }));
  const totals = totalsOf(standings, events);
  return {
    ...totals,
    breachedIds: [...breached],
    resolvedInMs: standings
      .filter((b) => b.resolvedInMs !== null && b.resolvedInMs !== b.stored)
      .map((b) => ({ id: b._id, fields: { resolvedInMs: b.resolvedInMs } })),
  };
}

/**
 * Counts the totals from the whole read model and makes that the latest
 * snapshot, every delta so far folded: for a store made before totals were
 * kept, or after a repair by hand. Run with the workers stopped: a barrier
 * projected meanwhile could be counted twice or not at all.
 */
export async function rebuildRollups(
  models: Models,
  progress: (line: string) => void = () => undefined,
): Promise<{ snapshot: number; barriersBreached: number; deltasFolded: number }> {
  const totals = await countTotals(models);
  progress(`counted ${[...totals.counts.values()].reduce((a, b) => a + b, 0)} totals`);
  // The projection takes a barrier's standing from its document: say which ever breached,
  // and how long each resolved one took, as counted here.
  await setByIds(models.Barrier, totals.breachedIds, { everBreached: true });
  progress(`${totals.breachedIds.length} barriers marked as having missed a deadline`);
  await setEachById(models.Barrier, totals.resolvedInMs);
  progress(`${totals.resolvedInMs.length} resolved barriers given their time to resolve`);
  let deltasFolded = 0;
  for (;;) {
    const ids = (await unfoldedDeltas(models, FOLD_AT_MOST)).map((d) => d._id);
    if (ids.length === 0) break;
    await markFolded(models, ids);
    deltasFolded += ids.length;
    progress(`${deltasFolded} earlier deltas set aside`);
  }
  const snapshot = ((await latestSnapshot(models)) ?? -1) + 1;
  await insertSnapshot(
    models,
    snapshot,
    { counts: totals.counts, breaches: totals.breaches },
    [],
    TOTALS_VERSION,
  );
  await models.DashboardSnapshot.deleteMany({ _id: { $lt: snapshot } });
  return { snapshot, barriersBreached: totals.breachedIds.length, deltasFolded };
}
