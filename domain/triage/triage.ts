/**
 * The GMCA triage queue's order and its duplicate hints, as pure functions.
 */

/** What ordering and duplicate-finding need to know of a barrier. */
export interface TriageItem {
  id: string;
  title: string;
  locality: string;
  category: string;
  focusArea: string | null;
  breached: boolean;
  /** epoch ms, or null when no clock runs */
  nextDeadlineAt: number | null;
  peopleAffected: number | null;
  /** Localities sharing it (its own and those of barriers merged into it). */
  localities: number;
}

/** What the urgency order reads of an item: also where a page of the queue ends. */
export type UrgencyKey = Pick<
  TriageItem,
  'id' | 'breached' | 'nextDeadlineAt' | 'peopleAffected' | 'localities'
>;

/**
 * Most urgent first: breached first, then least time to breach (earliest
 * deadline; the same order as least working time), then most people
 * affected, then most localities sharing it, then oldest id.
 */
export function byUrgency(a: UrgencyKey, b: UrgencyKey): number {
  if (a.breached !== b.breached) return a.breached ? -1 : 1;
  const da = a.nextDeadlineAt ?? Number.POSITIVE_INFINITY;
  const db = b.nextDeadlineAt ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  const pa = a.peopleAffected ?? 0;
  const pb = b.peopleAffected ?? 0;
  if (pa !== pb) return pb - pa;
  if (a.localities !== b.localities) return b.localities - a.localities;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * One page of a queue sorted by `byUrgency`: up to `limit` items after `after`
 * (from the start without it), and whether more follow. Keyed by the last
 * item's urgency, not its position, so a page is not skipped or repeated when
 * barriers join or leave the queue between requests.
 */
export function pageAfter<T extends UrgencyKey>(
  sorted: readonly T[],
  after: UrgencyKey | undefined,
  limit: number,
): { items: T[]; more: boolean } {
  let start = 0;
  if (after) {
    // The first item less urgent than `after`: binary search over the sorted queue.
    let hi = sorted.length;
    while (start < hi) {
      const mid = (start + hi) >>> 1;
      if (byUrgency(sorted[mid]!, after) <= 0) start = mid + 1;
      else hi = mid;
    }
  }
  return { items: sorted.slice(start, start + limit), more: sorted.length > start + limit };
}

const STOP_WORDS = new Set(
  'a an and are as at be by for from in into is it no not of on or our the their to with'.split(
    ' ',
  ),
);

/** The words of a title that carry meaning, lowercased and lightly stemmed. */
export function titleWords(title: string): Set<string> {
  return new Set(
    title
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 1 && !STOP_WORDS.has(w))
      .map((w) => (w.length > 4 ? w.replace(/(ing|ed|es|s)$/, '') : w)),
  );
}

/** Jaccard similarity of two sets of title words, 0–1. */
function wordSimilarity(wa: ReadonlySet<string>, wb: ReadonlySet<string>): number {
  if (wa.size === 0 || wb.size === 0) return 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared += 1;
  return shared / (wa.size + wb.size - shared);
}

/** Jaccard similarity of two titles' meaningful words, 0–1. */
export function titleSimilarity(a: string, b: string): number {
  return wordSimilarity(titleWords(a), titleWords(b));
}

/** How alike titles must be to hint at a duplicate. */
export const DUPLICATE_THRESHOLD = 0.4;

/** How many likely duplicates a queue entry names: the most similar. */
export const DUPLICATE_HINTS = 5;

type Comparable = Pick<TriageItem, 'id' | 'title' | 'locality' | 'category' | 'focusArea'>;

interface Pooled {
  id: string;
  locality: string;
  words: Set<string>;
}

/**
 * Barriers to look for duplicates among, with each title's words worked out
 * once and grouped by category and focus area (only those can match), so a
 * queue of n compared with a pool of m costs n times one group, not n × m
 * title parses.
 */
export class DuplicatePool {
  readonly #groups = new Map<string, Pooled[]>();

  constructor(others: Iterable<Comparable>) {
    for (const o of others) {
      const key = groupOf(o);
      let group = this.#groups.get(key);
      if (!group) this.#groups.set(key, (group = []));
      group.push({ id: o.id, locality: o.locality, words: titleWords(o.title) });
    }
  }

  /** Those that could be duplicates of `item`: same category and focus area. */
  candidatesFor(item: Comparable): readonly Pooled[] {
    return this.#groups.get(groupOf(item)) ?? [];
  }
}

const groupOf = (o: Pick<TriageItem, 'category' | 'focusArea'>) =>
  `${o.category}\u0000${o.focusArea ?? ''}`;

/**
 * Likely duplicates of `item` among `others`: same category and focus area, a
 * similar title, raised in another locality. Most similar first (then by id),
 * at most `limit` of them; `count` says how many there are in all.
 */
export function likelyDuplicates(
  item: Comparable,
  others: DuplicatePool | readonly Comparable[],
  limit = Number.POSITIVE_INFINITY,
): { hints: { id: string; similarity: number }[]; count: number } {
  const pool = others instanceof DuplicatePool ? others : new DuplicatePool(others);
  const words = titleWords(item.title);
  const found: { id: string; similarity: number }[] = [];
  for (const o of pool.candidatesFor(item)) {
    if (o.id === item.id || o.locality === item.locality) continue;
    const similarity = wordSimilarity(words, o.words);
    if (similarity >= DUPLICATE_THRESHOLD) found.push({ id: o.id, similarity });
  }
  found.sort((x, y) => y.similarity - x.similarity || (x.id < y.id ? -1 : 1));
  return {
    hints: found
      .slice(0, limit)
      .map((o) => ({ id: o.id, similarity: Math.round(o.similarity * 100) / 100 })),
    count: found.length,
  };
}
