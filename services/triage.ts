/**
 * GMCA's triage queue: every open barrier at the gmca stage, ordered by the
 * one urgency rule (domain's byUrgency), each with the number of localities
 * sharing it and its likely duplicates. The page and GET /api/v1/triage both
 * show this result, so they cannot order the queue differently.
 */
import { requireTriage } from './access.ts';
import type { Actor } from '../domain/barrier/types.ts';
import { encodeTriageCursor } from '../domain/triage/cursor.ts';
import {
  byUrgency,
  DUPLICATE_HINTS,
  DuplicatePool,
  likelyDuplicates,
  pageAfter,
  type TriageItem,
  type UrgencyKey,
} from '../domain/triage/triage.ts';
import type { Models } from '../store/models.ts';
import { readThrough } from '../store/read-cache.ts';
import type { ServiceDeps } from './deps.ts';

import type { StoredBarrier } from './barriers.ts';

/**
 * The queue is short by nature; this bounds a pathological one. It is read
 * whole (urgency puts breached first, which no index orders) and paged here.
 */
const QUEUE_LIMIT = 20_000;

export interface TriageFilters {
  locality?: string;
  category?: string;
  focusArea?: string;
}

export interface TriageEntry {
  barrier: StoredBarrier;
  /** Distinct localities sharing it: its own and those of barriers merged into it. */
  localitiesSharing: number;
  /** The most similar likely duplicates (at most DUPLICATE_HINTS), most similar first. */
  likelyDuplicates: { id: string; similarity: number; stage: string | null }[];
  /** How many likely duplicates there are in all. */
  likelyDuplicateCount: number;
}

/** One page of the queue. */
export interface TriagePage {
  entries: TriageEntry[];
  /** Barriers in the whole queue (with the filters). */
  total: number;
  /** Pass as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
}

export interface TriagePaging {
  /** Entries a page holds (default 25). */
  limit?: number;
  /** Where the previous page ended (a decoded `nextCursor`). */
  cursor?: UrgencyKey;
}

/** What the urgency order needs of a barrier, given the localities sharing it. */
export const triageItemOf = (b: StoredBarrier, localitiesSharing: number): TriageItem => ({
  id: b._id,
  title: b.title,
  locality: b.locality,
  category: b.category,
  focusArea: b.focusArea ?? null,
  breached: Boolean(b.breached),
  nextDeadlineAt: b.nextDeadlineAt?.getTime() ?? null,
  peopleAffected: b.peopleAffected ?? null,
  localities: localitiesSharing,
});

/**
 * A page of the queue, most urgent first.
 * @throws {Forbidden} for anyone but GMCA triage staff and admins.
 */
export async function triageQueue(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  filters: TriageFilters = {},
  { limit = 25, cursor }: TriagePaging = {},
): Promise<TriagePage> {
  const { models } = deps;
  requireTriage(actor);
  // The same for everyone allowed to see it: served from memory while nothing changed.
  const which = JSON.stringify(filters);
  return readThrough(
    models,
    'barriers',
    `triage:${which}:${limit}:${JSON.stringify(cursor)}`,
    async () =>
      pageOf(
        await readThrough(models, 'barriers', `triage:${which}`, () => readQueue(models, filters)),
        limit,
        cursor,
      ),
  );
}

/** The whole queue in order, and the open barriers its duplicates are looked for among. */
interface Queue {
  sorted: (TriageItem & { barrier: StoredBarrier })[];
  pool: DuplicatePool;
  stageOf: Map<string, string>;
}

/** Duplicates are looked for on the page asked for only: a page costs the same however long the queue. */
function pageOf(queue: Queue, limit: number, cursor: UrgencyKey | undefined): TriagePage {
  const { items, more } = pageAfter(queue.sorted, cursor, limit);
  const last = items.at(-1);
  return {
    entries: items.map((item) => {
      const duplicates = likelyDuplicates(item, queue.pool, DUPLICATE_HINTS);
      return {
        barrier: item.barrier,
        localitiesSharing: item.localities,
        likelyDuplicates: duplicates.hints.map((d) => ({
          ...d,
          stage: queue.stageOf.get(d.id) ?? null,
        })),
        likelyDuplicateCount: duplicates.count,
      };
    }),
    total: queue.sorted.length,
    nextCursor: more && last ? encodeTriageCursor(last) : null,
  };
}

async function readQueue(models: Models, filters: TriageFilters): Promise<Queue> {
  const filter: Record<string, unknown> = { stage: 'gmca', status: 'open' };
  if (filters.locality) filter.locality = filters.locality;
  if (filters.category) filter.category = filters.category;
  if (filters.focusArea) filter.focusArea = filters.focusArea;
  const queue = await models.Barrier.find(filter).limit(QUEUE_LIMIT).lean();

  const mergedIds = queue.flatMap((b) => b.mergedFrom ?? []);
  const merged = await models.Barrier.find({ _id: { $in: mergedIds } }, { locality: 1 }).lean();
  const localityOf = new Map(merged.map((m) => [m._id, m.locality]));
  const sharing = (b: StoredBarrier) =>
    new Set([b.locality, ...(b.mergedFrom ?? []).map((id) => localityOf.get(id) ?? b.locality)])
      .size;
  const sorted = queue
    .map((barrier) => ({ ...triageItemOf(barrier, sharing(barrier)), barrier }))
    .sort(byUrgency);

  // Duplicates may sit anywhere on the ladder, so compare with every open barrier of the categories.
  const candidates = await models.Barrier.find(
    { status: 'open', category: { $in: [...new Set(queue.map((b) => b.category))] } },
    { title: 1, locality: 1, category: 1, focusArea: 1, stage: 1 },
  )
    .limit(10 * QUEUE_LIMIT)
    .lean();
  const pool = new DuplicatePool(
    candidates.map((c) => ({
      id: c._id,
      title: c.title,
      locality: c.locality,
      category: c.category,
      focusArea: c.focusArea ?? null,
    })),
  );
  return { sorted, pool, stageOf: new Map(candidates.map((c) => [c._id, c.stage])) };
}
