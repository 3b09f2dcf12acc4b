/**
 * Read-model queries for barriers: the list with filters, sorts and cursor
 * paging (every filter has an index ending in the sort keys), and one barrier
 * with its timeline.
 */
import type { QueryFilter } from 'mongoose';
import type { BarrierDoc, Models, TimelineDoc } from './models.ts';
import { findByIds } from './point-reads.ts';
import { readThrough } from './read-cache.ts';
import { wordsFilter } from './search.ts';

export interface BarrierListQuery {
  /** Words that must each appear in the reference, title or description. */
  words?: string[];
  locality?: string;
  neighbourhood?: string;
  stage?: string;
  status?: string;
  category?: string;
  owner?: string;
  breached?: boolean;
  atRisk?: boolean;
  sort: 'nextDeadline' | 'raisedAt';
  limit: number;
  cursor?: string;
}

type Cursor = { v: number; id: string };

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

/** Decodes a cursor, or returns undefined when it is not one of ours. */
export function decodeCursor(raw: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    // Checked after decoding: the instant must be one a Date can hold (±8.64e15 ms).
    return typeof c.v === 'number' &&
      Number.isFinite(new Date(c.v).getTime()) &&
      typeof c.id === 'string'
      ? { v: c.v, id: c.id }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The filter a list query asks for (without its cursor). */
function barrierFilter(q: Omit<BarrierListQuery, 'sort' | 'limit' | 'cursor'>) {
  const filter: QueryFilter<BarrierDoc> = {};
  if (q.locality) filter.locality = q.locality;
  if (q.neighbourhood) filter.neighbourhood = q.neighbourhood;
  if (q.stage) filter.stage = q.stage;
  if (q.status) filter.status = q.status;
  if (q.category) filter.category = q.category;
  if (q.owner) filter.ownerEmail = q.owner;
  if (q.breached !== undefined) filter.breached = q.breached;
  if (q.atRisk !== undefined) filter.atRisk = q.atRisk;
  if (q.words?.length) filter.$and = wordsFilter(q.words, SEARCHED);
  return filter;
}

/** What a barrier search looks in. */
const SEARCHED = ['reference', 'title', 'description'];

const sortOf = (sort: BarrierListQuery['sort']) =>
  sort === 'nextDeadline'
    ? { field: 'deadlineSortAt', dir: 1 as const }
    : { field: 'raisedAt', dir: -1 as const };

/** Every barrier matching `q`, in its order, read as the caller iterates (for exports). */
export function streamBarriers(models: Models, q: Omit<BarrierListQuery, 'limit' | 'cursor'>) {
  const { field, dir } = sortOf(q.sort);
  return models.Barrier.find(barrierFilter(q))
    .sort({ [field]: dir, _id: dir })
    .lean()
    .cursor({ batchSize: 200 });
}

/**
 * One page of barriers, served from memory while the read model is unchanged
 * (store/read-cache.ts). The page is shared between callers: do not change it.
 */
export function listBarriers(models: Models, q: BarrierListQuery) {
  return readThrough(models, 'barriers', `list:${JSON.stringify(q)}`, () => readPage(models, q));
}

/** What a list shows of each barrier: enough for its table, not its description or history. */
const LIST_FIELDS = {
  title: 1,
  reference: 1,
  locality: 1,
  neighbourhood: 1,
  category: 1,
  stage: 1,
  status: 1,
  owner: 1,
  sla: 1,
  breached: 1,
  atRisk: 1,
  nextDeadlineAt: 1,
  raisedAt: 1,
} as const;

/** One barrier as a list shows it. */
export type BarrierListRow = Pick<BarrierDoc & { _id: string }, '_id' | keyof typeof LIST_FIELDS>;

/**
 * Every barrier matching `q`, in its order, as a list shows it: one read of
 * what FerretDB 1.x reads for any page anyway (it neither sorts nor limits in
 * the database), kept in memory while the read model is unchanged, so every
 * page of the same list after the first costs no read. Shared between
 * callers: do not change it.
 */
export function listBarrierRows(
  models: Models,
  q: Omit<BarrierListQuery, 'limit' | 'cursor'>,
): Promise<BarrierListRow[]> {
  const { field, dir } = sortOf(q.sort);
  return readThrough(models, 'barriers', `rows:${JSON.stringify(q)}`, () =>
    models.Barrier.find(barrierFilter(q), LIST_FIELDS)
      .sort({ [field]: dir, _id: dir })
      .lean<BarrierListRow[]>()
      .exec(),
  );
}

async function readPage(models: Models, q: BarrierListQuery) {
  const filter = barrierFilter(q);
  const byDeadline = q.sort === 'nextDeadline';
  const { field, dir } = sortOf(q.sort);
  const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
  if (cursor) {
    const at = new Date(cursor.v);
    filter.$or = [
      { [field]: dir === 1 ? { $gt: at } : { $lt: at } },
      { [field]: at, _id: dir === 1 ? { $gt: cursor.id } : { $lt: cursor.id } },
    ];
  }
  const docs = await models.Barrier.find(filter)
    .sort({ [field]: dir, _id: dir })
    .limit(q.limit + 1)
    .lean();
  const page = docs.slice(0, q.limit);
  const last = page.at(-1);
  const next =
    docs.length > q.limit && last
      ? encodeCursor({
          v: (byDeadline ? last.deadlineSortAt : last.raisedAt).getTime(),
          id: last._id,
        })
      : null;
  return { items: page, nextCursor: next };
}

export async function getBarrier(models: Models, id: string) {
  return models.Barrier.findById(id).lean();
}

/**
 * A barrier and its timeline from its page (store/models.ts), in one query;
 * null when the page cannot answer alone: none yet, events missing (a barrier
 * projected before pages existed), or barriers merged into it, whose
 * timelines join its own (read those with {@link getTimeline}).
 */
export async function readBarrierPage(
  models: Models,
  id: string,
): Promise<{ barrier: BarrierDoc & { _id: string }; timeline: TimelineDoc[] } | null> {
  const page = await models.BarrierPage.findById(id).lean<{
    barrier: BarrierDoc & { _id: string };
    events: Record<string, TimelineDoc>;
  }>();
  if (!page) return null;
  const { barrier } = page;
  if ((barrier.mergedFrom ?? []).length > 0) return null;
  const timeline = Object.values(page.events ?? {})
    .filter((e) => e.seq <= barrier.lastSeq)
    .sort((a, b) => a.seq - b.seq);
  // Keyed by seq, each seq is there once: lastSeq of them, all ≤ lastSeq, are exactly 1..lastSeq.
  return timeline.length === barrier.lastSeq ? { barrier, timeline } : null;
}

/** A barrier or an ask whose events are numbered 1..lastSeq. */
export interface TimelineSubject {
  id: string;
  lastSeq: number;
}

/**
 * The events of these subjects up to each one's `lastSeq`, in order: one
 * query a subject, on `barrierId` (the `{barrierId, seq}` index on MongoDB, a
 * GIN index on FerretDB's PostgreSQL), rather than event by event at a round
 * trip each (measured in bench/README.md). On FerretDB's SQLite
 * backend, which pushes down only `_id`, this scans the timeline.
 */
export async function readTimelines(models: Models, subjects: readonly TimelineSubject[]) {
  const read = await Promise.all(
    subjects
      .filter((s) => s.lastSeq > 0)
      .map(async (s) =>
        (await models.TimelineEvent.find({ barrierId: s.id }).lean())
          .filter((e) => e.seq <= s.lastSeq)
          .sort((a, b) => a.seq - b.seq),
      ),
  );
  return read.flat();
}

/**
 * The timeline of a barrier (or an ask) up to its document's `lastSeq`, with
 * those of barriers merged into it (a merged barrier is closed, so its own
 * document's `lastSeq` bounds its events). The projection writes events just
 * before the document, so reading up to `lastSeq` gives a consistent snapshot:
 * newer events show once the document catches up.
 */
export async function getTimeline(
  models: Models,
  subject: { _id: string; lastSeq: number; mergedFrom?: string[] | null },
) {
  const own = { id: subject._id, lastSeq: subject.lastSeq };
  const mergedFrom = subject.mergedFrom ?? [];
  if (mergedFrom.length === 0) return readTimelines(models, [own]);
  const merged = await findByIds(models.Barrier, mergedFrom, { lastSeq: 1 });
  const events = await readTimelines(models, [
    own,
    ...merged.map((m) => ({ id: m._id, lastSeq: m.lastSeq })),
  ]);
  // Timelines join on a merge: the survivor shows the merged barriers' events too.
  return events.sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() || a.barrierId.localeCompare(b.barrierId) || a.seq - b.seq,
  );
}
