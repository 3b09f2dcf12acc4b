/**
 * GMCA's triage queue: every open barrier at the gmca stage, ordered by the
 * one urgency rule (domain's byUrgency), each with the number of localities
 * sharing it and its likely duplicates. The page and GET /api/v1/triage both
 * show this result, so they cannot order the queue differently.
 */
import { canRunAsks } from '../domain/barrier/access.ts';
import type { Actor } from '../domain/barrier/barrier-machine.ts';
import { byUrgency, likelyDuplicates, type TriageItem } from '../domain/triage/triage.ts';
import type { Models } from '../store/models.ts';
import { readThrough } from '../store/read-cache.ts';
import type { ServiceDeps } from './deps.ts';
import { Forbidden } from './errors.ts';
import type { StoredBarrier } from './barriers.ts';

/** The queue is short by nature; this bounds a pathological one. */
const QUEUE_LIMIT = 2_000;

export interface TriageFilters {
  locality?: string;
  category?: string;
  focusArea?: string;
}

export interface TriageEntry {
  barrier: StoredBarrier;
  /** Distinct localities sharing it: its own and those of barriers merged into it. */
  localitiesSharing: number;
  likelyDuplicates: { id: string; similarity: number; stage: string | null }[];
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
 * The queue, most urgent first.
 * @throws {Forbidden} for anyone but GMCA triage staff and admins.
 */
export async function triageQueue(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  filters: TriageFilters = {},
): Promise<TriageEntry[]> {
  const { models } = deps;
  if (!canRunAsks(actor)) throw new Forbidden('The triage queue is for GMCA triage staff.');
  // The same for everyone allowed to see it: served from memory while nothing changed.
  return readThrough(models, 'barriers', `triage:${JSON.stringify(filters)}`, () =>
    readQueue(models, filters),
  );
}

async function readQueue(models: Models, filters: TriageFilters): Promise<TriageEntry[]> {
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
  const items = queue
    .map((b) => ({ b, item: triageItemOf(b, sharing(b)) }))
    .sort((x, y) => byUrgency(x.item, y.item));

  // Duplicates may sit anywhere on the ladder, so compare with every open barrier of the categories.
  const candidates = await models.Barrier.find(
    { status: 'open', category: { $in: [...new Set(queue.map((b) => b.category))] } },
    { title: 1, locality: 1, category: 1, focusArea: 1, reference: 1, stage: 1 },
  )
    .limit(10 * QUEUE_LIMIT)
    .lean();
  const others = candidates.map((c) => ({
    id: c._id,
    title: c.title,
    locality: c.locality,
    category: c.category,
    focusArea: c.focusArea ?? null,
  }));
  const stageOf = new Map(candidates.map((c) => [c._id, c.stage]));
  return items.map(({ b, item }) => ({
    barrier: b,
    localitiesSharing: item.localities,
    likelyDuplicates: likelyDuplicates(item, others).map((d) => ({
      ...d,
      stage: stageOf.get(d.id) ?? null,
    })),
  }));
}
