/**
 * The dashboard's totals are kept as deltas, one for each projection of a
 * barrier (store/dashboard-rollups.ts, totals.ts): whatever a barrier goes through, its
 * deltas must add up to what counting it from scratch gives.
 */
import { describe, expect, it } from 'vitest';
import {
  barrierDelta,
  sumTotals,
  totalKey,
  totalsOf,
  type CountedEvent,
  type Standing,
  type Totals,
} from './totals.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');

/** Comparable: counts sorted by key, breaches ascending. */
const plain = (t: Totals) => ({
  counts: Object.fromEntries([...t.counts].sort(([a], [b]) => a.localeCompare(b))),
  breaches: [...t.breaches].sort((a, b) => a - b),
});

/** One projection: the barrier's standing after it and the events it brought. */
interface Step {
  after: Standing;
  events: CountedEvent[];
}

/** The deltas of a barrier's projections, added up. */
function summedDeltas(steps: readonly Step[]): Totals {
  let before: Standing | null = null;
  const deltas: Totals[] = [];
  for (const step of steps) {
    deltas.push(barrierDelta(before, step.after, step.events));
    before = step.after;
  }
  return sumTotals(deltas);
}

/** What counting a barrier at its last standing, with all its events, gives. */
const fromScratch = (steps: readonly Step[]) =>
  totalsOf(
    [steps.at(-1)!.after],
    steps.flatMap((s) => s.events),
  );

describe('dashboard deltas', () => {
  it('add up over a life of breaches, resolution, reopening and closing', () => {
    const wigan = { locality: 'wigan', category: 'funding' };
    const steps: Step[] = [
      {
        after: { ...wigan, status: 'open', everBreached: false },
        events: [
          { type: 'raised', stage: 'neighbourhood', at: T0 },
          { type: 'routed', stage: 'neighbourhood', at: T0 },
        ],
      },
      {
        after: { ...wigan, status: 'open', everBreached: true },
        events: [
          { type: 'breached', stage: 'neighbourhood', at: T0 + 1000 },
          { type: 'escalated', stage: 'locality', at: T0 + 1000 },
          { type: 'routed', stage: 'locality', at: T0 + 1000 },
        ],
      },
      { after: { ...wigan, status: 'resolved', everBreached: true }, events: [] },
      {
        after: { ...wigan, status: 'open', everBreached: true },
        events: [{ type: 'reopened', stage: 'locality', at: T0 + 3000 }],
      },
      { after: { ...wigan, status: 'closed', everBreached: true }, events: [] },
    ];
    const summed = summedDeltas(steps);
    expect(plain(summed)).toEqual(plain(fromScratch(steps)));
    // Closed late: counted as closed, not on time, and no longer open.
    expect(plain(summed).counts).toEqual({
      [totalKey('closed', 'wigan')]: 1,
      [totalKey('entered', 'locality')]: 1,
      [totalKey('entered', 'neighbourhood')]: 1,
      [totalKey('missed', 'neighbourhood')]: 1,
    });
    expect(summed.breaches).toEqual([T0 + 1000]);
  });

  it('change nothing for a projection that moves no total', () => {
    const open = { status: 'open', locality: 'bolton', category: 'workforce' };
    const delta = barrierDelta(open, { ...open }, [
      { type: 'comment', stage: 'neighbourhood', at: T0 },
    ]);
    expect(delta.counts.size).toBe(0);
    expect(delta.breaches).toEqual([]);
  });

  it('add up for any sequence of standings and events', () => {
    // A small deterministic generator: the same sequences every run.
    let seed = 19;
    const pick = <T>(xs: readonly T[]): T => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return xs[seed % xs.length]!;
    };
    const statuses = ['open', 'resolved', 'closed', 'withdrawn', 'merged'];
    const stages = ['neighbourhood', 'locality', 'gmca', 'whitehall'];
    for (let run = 0; run < 200; run++) {
      const locality = pick(['wigan', 'bury', 'salford']);
      let everBreached = false;
      const steps: Step[] = [];
      for (let i = 0, n = 1 + (run % 7); i < n; i++) {
        const events = Array.from({ length: pick([0, 1, 2, 3]) }, (_, j) => ({
          type: pick(['routed', 'breached', 'comment']),
          stage: pick(stages),
          at: T0 + i * 100 + j,
        }));
        everBreached ||= events.some((e) => e.type === 'breached');
        steps.push({
          after: {
            status: pick(statuses),
            locality,
            category: pick(['funding', 'data-sharing']),
            everBreached,
          },
          events,
        });
      }
      expect(plain(summedDeltas(steps))).toEqual(plain(fromScratch(steps)));
    }
  });
});
