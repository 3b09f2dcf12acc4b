import { describe, expect, it } from 'vitest';
import {
  byUrgency,
  DuplicatePool,
  likelyDuplicates,
  pageAfter,
  titleSimilarity,
  type TriageItem,
} from './triage.ts';

const item = (id: string, over: Partial<TriageItem> = {}): TriageItem => ({
  id,
  title: 'Data sharing agreement blocks joint caseload',
  locality: 'wigan',
  category: 'data-sharing',
  focusArea: null,
  breached: false,
  nextDeadlineAt: 1_000,
  peopleAffected: 10,
  localities: 1,
  ...over,
});

describe('triage order', () => {
  it('puts breached first, then the nearest deadline, then more people, then more localities', () => {
    const items = [
      item('GT-0001', { nextDeadlineAt: 5_000 }),
      item('GT-0002', { breached: true, nextDeadlineAt: null }),
      item('GT-0003', { nextDeadlineAt: 2_000, peopleAffected: 5 }),
      item('GT-0004', { nextDeadlineAt: 2_000, peopleAffected: 50 }),
      item('GT-0005', { nextDeadlineAt: 2_000, peopleAffected: 5, localities: 3 }),
      item('GT-0006', { nextDeadlineAt: null }),
    ];
    expect([...items].sort(byUrgency).map((i) => i.id)).toEqual([
      'GT-0002',
      'GT-0004',
      'GT-0005',
      'GT-0003',
      'GT-0001',
      'GT-0006',
    ]);
  });
});

describe('duplicate hints', () => {
  it('finds the same barrier raised in another locality, not different ones', () => {
    const wigan = item('GT-0001', { title: 'Data-sharing agreement blocks a joint caseload list' });
    const bolton = item('GT-0002', {
      locality: 'bolton',
      title: 'Joint caseload blocked by the data sharing agreement',
    });
    const sameLocality = item('GT-0003', { title: wigan.title });
    const otherCategory = item('GT-0004', {
      locality: 'bury',
      category: 'funding',
      title: wigan.title,
    });
    const unrelated = item('GT-0005', { locality: 'bury', title: 'Estates: no room for a hub' });
    expect(likelyDuplicates(wigan, [bolton, sameLocality, otherCategory, unrelated])).toEqual({
      hints: [{ id: 'GT-0002', similarity: expect.any(Number) as number }],
      count: 1,
    });
    expect(
      titleSimilarity('Rough sleeping pooled budget', 'pooled budgets for rough sleepers'),
    ).toBeGreaterThan(0.4);
    expect(titleSimilarity('', 'anything')).toBe(0);
  });
});

describe('a long queue', () => {
  const others = Array.from({ length: 12 }, (_, i) =>
    item(`GT-${String(100 + i).padStart(4, '0')}`, {
      locality: i % 2 ? 'bolton' : 'bury',
      // The first ones share every word; later ones fewer.
      title: `Data sharing agreement blocks joint caseload ${i < 3 ? '' : `extra words number ${i}`}`,
    }),
  );

  it('names the most similar duplicates up to the limit and counts them all', () => {
    const wigan = item('GT-0001');
    const all = likelyDuplicates(wigan, others);
    const top = likelyDuplicates(wigan, new DuplicatePool(others), 5);
    expect(top.count).toBe(all.count);
    expect(all.count).toBeGreaterThan(5);
    expect(top.hints).toEqual(all.hints.slice(0, 5));
    expect(top.hints.slice(0, 3).map((h) => h.similarity)).toEqual([1, 1, 1]);
  });

  it('pages by urgency, so a barrier leaving the queue neither skips nor repeats the next page', () => {
    const queue = Array.from({ length: 7 }, (_, i) =>
      item(`GT-000${i + 1}`, { nextDeadlineAt: 1_000 * (i + 1) }),
    ).sort(byUrgency);
    const first = pageAfter(queue, undefined, 3);
    expect(first.items.map((i) => i.id)).toEqual(['GT-0001', 'GT-0002', 'GT-0003']);
    expect(first.more).toBe(true);
    // GT-0002 is resolved and GT-0003 leaves the queue before the next page is asked for.
    const after = queue.filter((i) => i.id !== 'GT-0002' && i.id !== 'GT-0003');
    const second = pageAfter(after, first.items.at(-1), 3);
    expect(second.items.map((i) => i.id)).toEqual(['GT-0004', 'GT-0005', 'GT-0006']);
    expect(second.more).toBe(true);
    const last = pageAfter(after, second.items.at(-1), 3);
    expect(last.items.map((i) => i.id)).toEqual(['GT-0007']);
    expect(last.more).toBe(false);
  });
});
