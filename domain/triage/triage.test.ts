import { describe, expect, it } from 'vitest';
import { byUrgency, likelyDuplicates, titleSimilarity, type TriageItem } from './triage.ts';

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
    expect(likelyDuplicates(wigan, [bolton, sameLocality, otherCategory, unrelated])).toEqual([
      { id: 'GT-0002', similarity: expect.any(Number) as number },
    ]);
    expect(
      titleSimilarity('Rough sleeping pooled budget', 'pooled budgets for rough sleepers'),
    ).toBeGreaterThan(0.4);
    expect(titleSimilarity('', 'anything')).toBe(0);
  });
});
