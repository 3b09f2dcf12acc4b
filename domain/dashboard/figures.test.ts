import { describe, expect, it } from 'vitest';
import { dashboardFigures } from './figures.ts';
import { totalsOf } from './totals.ts';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const DAY = 86_400_000;

const closed = (locality: string, everBreached = false) => ({
  status: 'closed',
  locality,
  category: 'funding',
  everBreached,
});
const open = (category: string) => ({ status: 'open', locality: 'wigan', category });
const event = (type: 'routed' | 'breached', stage: string, at = NOW) => ({ type, stage, at });

describe('dashboard figures', () => {
  it('count compliance, breaches by week and open barriers by category', () => {
    const f = dashboardFigures(
      totalsOf(
        [
          closed('wigan'),
          closed('wigan', true),
          closed('bolton'),
          open('funding'),
          open('funding'),
          open('workforce'),
        ],
        [
          event('routed', 'neighbourhood'),
          event('routed', 'neighbourhood'),
          event('routed', 'locality'),
          event('breached', 'neighbourhood', NOW - DAY),
          event('breached', 'neighbourhood', NOW - 8 * DAY),
        ],
      ),
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

  it("places each view's weeks exactly, counting once for an input however often it is viewed", () => {
    const WEEK = 7 * DAY;
    const input = totalsOf(
      [closed('wigan')],
      [
        event('routed', 'neighbourhood'),
        // Exactly a week before NOW: the week before this one's, not this one's.
        event('breached', 'neighbourhood', NOW - WEEK),
        // Exactly at NOW: this week's.
        event('breached', 'neighbourhood', NOW),
        event('breached', 'locality', NOW - 3 * DAY),
      ],
    );
    const weeks = (now: number) => dashboardFigures(input, now).breachesByWeek.map((w) => w.value);
    expect(weeks(NOW)).toEqual([0, 0, 0, 0, 0, 0, 1, 2]);
    // A minute earlier the breach at NOW is yet to come, and the one a week before is this week's.
    expect(weeks(NOW - 60_000)).toEqual([0, 0, 0, 0, 0, 0, 0, 2]);
    // A minute later the one a week before has left this week for the last.
    expect(weeks(NOW + 60_000)).toEqual([0, 0, 0, 0, 0, 0, 1, 2]);
    expect(weeks(NOW + WEEK)).toEqual([0, 0, 0, 0, 0, 1, 2, 0]);
    // The same counts from the same input, whatever the time.
    expect(dashboardFigures(input, NOW).byStage).toEqual(
      dashboardFigures(input, NOW + WEEK).byStage,
    );
    expect(dashboardFigures(input, NOW).byStage[0]).toEqual({
      label: 'neighbourhood',
      value: 0,
      n: 1,
    });
  });
});
