import { describe, expect, it } from 'vitest';
import { WORKING_DAY_MS } from '../calendar/working-time.ts';
import { dashboardFigures, standingFigures } from './figures.ts';
import { totalsOf, type Standing } from './totals.ts';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const DAY = 86_400_000;

const closed = (locality: string, everBreached = false) => ({
  status: 'closed',
  locality,
  category: 'funding',
  stage: 'locality',
  everBreached,
});
const open = (category: string) => ({
  status: 'open',
  locality: 'wigan',
  category,
  stage: 'neighbourhood',
});
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

describe('open barriers by locality and stage', () => {
  it('counts open barriers for every locality at every stage, unknown places left out', () => {
    const at = (locality: string, stage: string, status = 'open'): Standing => ({
      status,
      locality,
      stage,
      category: 'funding',
    });
    const rows = standingFigures(
      totalsOf(
        [
          at('wigan', 'neighbourhood'),
          at('wigan', 'gmca'),
          at('wigan', 'gmca'),
          at('wigan', 'gmca', 'resolved'),
          at('bury', 'locality'),
          at('atlantis', 'gmca'),
        ],
        [],
      ),
    ).openByLocalityAndStage;
    expect(rows).toHaveLength(10);
    expect(rows.find((r) => r.locality === 'wigan')).toEqual({
      locality: 'wigan',
      byStage: { neighbourhood: 1, locality: 0, gmca: 2, whitehall: 0 },
      total: 3,
    });
    expect(rows.find((r) => r.locality === 'bolton')?.total).toBe(0);
  });
});

describe('median time to resolve by stage', () => {
  const resolved = (stage: string, resolvedInMs: number): Standing => ({
    status: 'resolved',
    locality: 'wigan',
    category: 'funding',
    stage,
    resolvedInMs,
  });
  const medians = (barriers: Standing[]) =>
    standingFigures(totalsOf(barriers, [])).medianResolveByStage;

  it('is the middle time at each stage, or the mean of the middle two', () => {
    const day = 86_400_000;
    const rows = medians([
      resolved('locality', WORKING_DAY_MS),
      resolved('locality', 4 * WORKING_DAY_MS),
      resolved('locality', 3 * WORKING_DAY_MS),
      resolved('gmca', 2 * day),
      resolved('neighbourhood', 40_000),
      resolved('neighbourhood', 50_000),
      { ...resolved('whitehall', 0), status: 'open' },
    ]);
    expect(rows).toEqual([
      { label: 'neighbourhood', value: 45_000, n: 2 },
      { label: 'locality', value: 3 * WORKING_DAY_MS, n: 3 },
      { label: 'gmca', value: 2 * day, n: 1 },
      { label: 'whitehall', value: 0, n: 0 },
    ]);
  });

  it('is never above the exact median, and below it by at most the unit the page shows', () => {
    const exact = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    };
    // The unit the page shows a time in: a second under a minute, a minute under a working day, an hour.
    const unitOf = (ms: number) => (ms < 60_000 ? 1_000 : ms < WORKING_DAY_MS ? 60_000 : 3_600_000);
    let seed = 7;
    const next = (max: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % max;
    };
    for (let run = 0; run < 300; run++) {
      const spans = Array.from({ length: 1 + next(9) }, () =>
        next(3) === 0
          ? next(60_000)
          : next(3) === 0
            ? next(WORKING_DAY_MS)
            : next(30 * WORKING_DAY_MS),
      );
      const [row] = medians(spans.map((ms) => resolved('neighbourhood', ms)));
      const want = exact(spans);
      const sorted = [...spans].sort((a, b) => a - b);
      const upperMiddle = sorted[spans.length >> 1]!;
      expect(row!.n).toBe(spans.length);
      expect(row!.value).toBeLessThanOrEqual(Math.round(want));
      expect(want - row!.value).toBeLessThanOrEqual(unitOf(upperMiddle));
    }
  });
});
