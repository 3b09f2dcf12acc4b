/**
 * The dashboard's totals are kept as deltas, one for each projection of a
 * barrier (store/dashboard-rollups.ts, totals.ts): whatever a barrier goes through, its
 * deltas must add up to what counting it from scratch gives.
 */
import { describe, expect, it } from 'vitest';
import { WORKING_DAY_MS } from '../calendar/working-time.ts';
import {
  barrierDelta,
  resolveBin,
  sumTotals,
  timeToResolve,
  totalKey,
  totalsOf,
  type CountedEvent,
  type Standing,
  type Totals,
} from './totals.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const S = 1_000;
const MIN = 60_000;
const HOUR = 3_600_000;

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
        after: { ...wigan, stage: 'neighbourhood', status: 'open', everBreached: false },
        events: [
          { type: 'raised', stage: 'neighbourhood', at: T0 },
          { type: 'routed', stage: 'neighbourhood', at: T0 },
        ],
      },
      {
        after: { ...wigan, stage: 'locality', status: 'open', everBreached: true },
        events: [
          { type: 'breached', stage: 'neighbourhood', at: T0 + 1000 },
          { type: 'escalated', stage: 'locality', at: T0 + 1000 },
          { type: 'routed', stage: 'locality', at: T0 + 1000 },
        ],
      },
      {
        after: {
          ...wigan,
          stage: 'locality',
          status: 'resolved',
          everBreached: true,
          resolvedInMs: 2 * S,
        },
        events: [],
      },
      {
        after: { ...wigan, stage: 'locality', status: 'open', everBreached: true },
        events: [{ type: 'reopened', stage: 'locality', at: T0 + 3000 }],
      },
      {
        after: {
          ...wigan,
          stage: 'locality',
          status: 'closed',
          everBreached: true,
          resolvedInMs: 4 * S,
        },
        events: [],
      },
    ];
    const summed = summedDeltas(steps);
    expect(plain(summed)).toEqual(plain(fromScratch(steps)));
    // Closed late: counted as closed, not on time, no longer open, resolved once (its last time).
    expect(plain(summed).counts).toEqual({
      [totalKey('closed', 'wigan')]: 1,
      [totalKey('resolvedIn', 'locality|4000')]: 1,
      [totalKey('entered', 'locality')]: 1,
      [totalKey('entered', 'neighbourhood')]: 1,
      [totalKey('missed', 'neighbourhood')]: 1,
    });
    expect(summed.breaches).toEqual([T0 + 1000]);
  });

  it('change nothing for a projection that moves no total', () => {
    const open = { status: 'open', locality: 'bolton', category: 'workforce', stage: 'gmca' };
    const delta = barrierDelta(open, { ...open }, [
      { type: 'comment', stage: 'neighbourhood', at: T0 },
    ]);
    expect(delta.counts.size).toBe(0);
    expect(delta.breaches).toEqual([]);
    const resolved = { ...open, status: 'resolved', resolvedInMs: 3 * HOUR };
    expect(barrierDelta(resolved, { ...resolved }, []).counts.size).toBe(0);
  });

  it('move an open barrier between localities and stages: one taken away, one added', () => {
    const at = (locality: string, stage: string): Standing => ({
      status: 'open',
      locality,
      category: 'funding',
      stage,
    });
    const counts = (before: Standing | null, after: Standing) =>
      plain(barrierDelta(before, after, [])).counts;
    expect(counts(null, at('wigan', 'neighbourhood'))).toEqual({
      [totalKey('open', 'funding')]: 1,
      [totalKey('openAt', 'wigan|neighbourhood')]: 1,
    });
    // Escalated: the same locality, the next stage.
    expect(counts(at('wigan', 'neighbourhood'), at('wigan', 'locality'))).toEqual({
      [totalKey('openAt', 'wigan|locality')]: 1,
      [totalKey('openAt', 'wigan|neighbourhood')]: -1,
    });
    // Routed to another locality at the same stage.
    expect(counts(at('wigan', 'locality'), at('bury', 'locality'))).toEqual({
      [totalKey('openAt', 'bury|locality')]: 1,
      [totalKey('openAt', 'wigan|locality')]: -1,
    });
  });

  it('count a resolution in its stage’s bin, take it away on reopening and count the next one', () => {
    const base = { locality: 'salford', category: 'funding', stage: 'gmca' };
    const open: Standing = { ...base, status: 'open' };
    const resolved = (ms: number): Standing => ({ ...base, status: 'resolved', resolvedInMs: ms });
    const counts = (before: Standing | null, after: Standing) =>
      plain(barrierDelta(before, after, [])).counts;
    expect(counts(open, resolved(2 * WORKING_DAY_MS + 3 * HOUR + 20 * MIN))).toEqual({
      [totalKey('open', 'funding')]: -1,
      [totalKey('openAt', 'salford|gmca')]: -1,
      [totalKey('closed', 'salford')]: 1,
      [totalKey('onTime', 'salford')]: 1,
      [totalKey('resolvedIn', `gmca|${2 * WORKING_DAY_MS + 3 * HOUR}`)]: 1,
    });
    expect(counts(resolved(5 * HOUR + 20 * S), open)).toEqual({
      [totalKey('open', 'funding')]: 1,
      [totalKey('openAt', 'salford|gmca')]: 1,
      [totalKey('closed', 'salford')]: -1,
      [totalKey('onTime', 'salford')]: -1,
      [totalKey('resolvedIn', `gmca|${5 * HOUR}`)]: -1,
    });
    // Its time to resolve counted again (its calendar changed meanwhile): the stored one goes.
    expect(counts(resolved(40 * S), resolved(50 * S))).toEqual({
      [totalKey('resolvedIn', 'gmca|40000')]: -1,
      [totalKey('resolvedIn', 'gmca|50000')]: 1,
    });
    // A barrier closed without a time to resolve (closedAt missing) is not in the histogram.
    expect(counts(open, { ...base, status: 'closed', resolvedInMs: null })).not.toHaveProperty(
      totalKey('resolvedIn', 'gmca|0'),
    );
  });

  it('give a retry the same delta, so the store, which keeps the first by its key, counts it once', () => {
    // The store: deltas by `<barrier>:<seq>`, the first of a key kept; the document by lastSeq.
    const deltas = new Map<string, Totals>();
    let stored: (Standing & { lastSeq: number }) | null = null;
    const project = (
      seq: number,
      after: Standing,
      events: CountedEvent[],
      failAfterDelta = false,
    ) => {
      if (stored && stored.lastSeq >= seq) return; // as new or newer already
      const delta = barrierDelta(stored, after, events);
      const key = `GT-1:${seq}`;
      if (deltas.has(key)) expect(plain(delta)).toEqual(plain(deltas.get(key)!));
      else deltas.set(key, delta);
      if (failAfterDelta) throw new Error('the database went away before the document');
      stored = { ...after, lastSeq: seq };
    };
    const base = { locality: 'wigan', category: 'funding', everBreached: false };
    const first = { ...base, stage: 'neighbourhood', status: 'open' };
    const escalated = { ...base, stage: 'locality', status: 'open', everBreached: true };
    const resolved = { ...escalated, status: 'resolved', resolvedInMs: 90 * MIN };
    const raised: CountedEvent[] = [{ type: 'routed', stage: 'neighbourhood', at: T0 }];
    const breached: CountedEvent[] = [
      { type: 'breached', stage: 'neighbourhood', at: T0 + HOUR },
      { type: 'routed', stage: 'locality', at: T0 + HOUR },
    ];
    project(1, first, raised);
    expect(() => project(2, escalated, breached, true)).toThrow();
    project(2, escalated, breached); // the retry: the same delta, refused by its key
    project(1, first, raised); // a late retry of an older batch: nothing
    expect(() => project(3, resolved, [], true)).toThrow();
    project(3, resolved, []);
    project(3, resolved, []); // retried after it was written: nothing
    expect(deltas.size).toBe(3);
    expect(plain(sumTotals([...deltas.values()]))).toEqual(
      plain(totalsOf([resolved], [...raised, ...breached])),
    );
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
      let everBreached = false;
      const steps: Step[] = [];
      for (let i = 0, n = 1 + (run % 7); i < n; i++) {
        const events = Array.from({ length: pick([0, 1, 2, 3]) }, (_, j) => ({
          type: pick(['routed', 'breached', 'comment']),
          stage: pick(stages),
          at: T0 + i * 100 + j,
        }));
        everBreached ||= events.some((e) => e.type === 'breached');
        const status = pick(statuses);
        steps.push({
          after: {
            status,
            locality: pick(['wigan', 'bury', 'salford']),
            category: pick(['funding', 'data-sharing']),
            stage: pick(stages),
            everBreached,
            resolvedInMs:
              status === 'resolved' || status === 'closed'
                ? pick([0, 59 * S, 61 * S, 7 * HOUR, 3 * WORKING_DAY_MS + 5 * MIN])
                : null,
          },
          events,
        });
      }
      expect(plain(summedDeltas(steps))).toEqual(plain(fromScratch(steps)));
    }
  });
});

describe('time to resolve', () => {
  // Monday 2 March 2026, 9am in London (GMT): working days run 9 to 5.
  const monday9 = Date.UTC(2026, 2, 2, 9);
  const day = 86_400_000;

  it('is the working time from raised to resolved or closed, in the barrier’s calendar', () => {
    const resolved = { status: 'resolved', raisedAt: monday9, calendar: 'x' };
    // Monday 9am to Thursday 9am: three working days.
    expect(timeToResolve({ ...resolved, closedAt: monday9 + 3 * day })).toBe(3 * WORKING_DAY_MS);
    expect(
      timeToResolve({
        ...resolved,
        raisedAt: new Date(monday9),
        closedAt: new Date(monday9 + day),
      }),
    ).toBe(WORKING_DAY_MS);
    // In 24x7, a day is a day; closed by Whitehall agreeing an ask counts too.
    expect(
      timeToResolve({
        ...resolved,
        status: 'closed',
        calendar: '24x7',
        closedAt: monday9 + 2 * day,
      }),
    ).toBe(2 * day);
    // Not resolved, or no closing time: none.
    expect(timeToResolve({ ...resolved, status: 'withdrawn', closedAt: monday9 + day })).toBeNull();
    expect(timeToResolve({ ...resolved, status: 'open', closedAt: null })).toBeNull();
    expect(timeToResolve({ ...resolved, closedAt: null })).toBeNull();
  });

  it('is binned to the second under a minute, the minute under a working day, the hour from there', () => {
    expect(resolveBin(0)).toBe(0);
    expect(resolveBin(45_999)).toBe(45 * S);
    expect(resolveBin(MIN - 1)).toBe(59 * S);
    expect(resolveBin(MIN)).toBe(MIN);
    expect(resolveBin(3 * HOUR + 20 * MIN + 59 * S)).toBe(3 * HOUR + 20 * MIN);
    expect(resolveBin(WORKING_DAY_MS - 1)).toBe(WORKING_DAY_MS - MIN);
    expect(resolveBin(WORKING_DAY_MS)).toBe(WORKING_DAY_MS);
    expect(resolveBin(2 * WORKING_DAY_MS + 3 * HOUR + 59 * MIN)).toBe(
      2 * WORKING_DAY_MS + 3 * HOUR,
    );
  });
});
