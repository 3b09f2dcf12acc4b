import { describe, expect, it } from 'vitest';
import { dashboardFigures } from './dashboard.ts';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const DAY = 86_400_000;

describe('dashboard figures', () => {
  it('count compliance, breaches by week and open barriers by category', () => {
    const f = dashboardFigures(
      {
        closed: [
          { _id: 'GT-1', locality: 'wigan' },
          { _id: 'GT-2', locality: 'wigan' },
          { _id: 'GT-3', locality: 'bolton' },
        ],
        breachedIds: ['GT-2'],
        open: [{ category: 'funding' }, { category: 'funding' }, { category: 'workforce' }],
        routed: [{ stage: 'neighbourhood' }, { stage: 'neighbourhood' }, { stage: 'locality' }],
        breaches: [
          { stage: 'neighbourhood', at: new Date(NOW - DAY) },
          { stage: 'neighbourhood', at: new Date(NOW - 8 * DAY) },
        ],
      },
      NOW,
    );
    expect(f.byLocality).toEqual([
      { label: 'bolton', value: 100, n: 1 },
      { label: 'wigan', value: 50, n: 2 },
    ]);
    expect(f.byStage).toEqual([
      { label: 'neighbourhood', value: 0, n: 2 },
      { label: 'locality', value: 100, n: 1 },
      { label: 'gmca', value: 0, n: 0 },
    ]);
    expect(f.breachesByWeek.map((w) => w.value)).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    expect(f.openByCategory.find((c) => c.label === 'funding')?.value).toBe(2);
  });
});
