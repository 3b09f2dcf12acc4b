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

/**
 * Most urgent first: breached first, then least time to breach (earliest
 * deadline; the same order as least working time), then most people
 * affected, then most localities sharing it, then oldest id.
 */
export function byUrgency(a: TriageItem, b: TriageItem): number {
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

/** Jaccard similarity of two titles' meaningful words, 0–1. */
export function titleSimilarity(a: string, b: string): number {
  const wa = titleWords(a);
  const wb = titleWords(b);
  if (wa.size === 0 || wb.size === 0) return 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared += 1;
  return shared / (wa.size + wb.size - shared);
}

/** How alike titles must be to hint at a duplicate. */
export const DUPLICATE_THRESHOLD = 0.4;

/**
 * Likely duplicates of `item` among `others`: same category and focus area, a
 * similar title, raised in another locality. Most similar first.
 */
export function likelyDuplicates(
  item: Pick<TriageItem, 'id' | 'title' | 'locality' | 'category' | 'focusArea'>,
  others: readonly Pick<TriageItem, 'id' | 'title' | 'locality' | 'category' | 'focusArea'>[],
): { id: string; similarity: number }[] {
  return others
    .filter(
      (o) =>
        o.id !== item.id &&
        o.locality !== item.locality &&
        o.category === item.category &&
        (o.focusArea ?? null) === (item.focusArea ?? null),
    )
    .map((o) => ({ id: o.id, similarity: titleSimilarity(item.title, o.title) }))
    .filter((o) => o.similarity >= DUPLICATE_THRESHOLD)
    .sort((x, y) => y.similarity - x.similarity || (x.id < y.id ? -1 : 1))
    .map((o) => ({ id: o.id, similarity: Math.round(o.similarity * 100) / 100 }));
}
