/**
 * The SLA dashboard's figures: compliance by locality and by stage, breaches
 * per week, open barriers by category. `dashboardFigures` is pure (tested
 * without a server); `readDashboard` reads what it needs.
 */
import { CATEGORIES, STAGES } from '../domain/reference-data.ts';
import { readThrough } from '../store/read-cache.ts';
import type { ServiceDeps } from './deps.ts';

/** One row of a figure: a label, its value and, for a share, what it is out of. */
export interface FigureRow {
  label: string;
  value: number;
  /** The whole a percentage is of (absent for counts). */
  n?: number;
  /** For week rows: the week's last instant (epoch ms). */
  weekEnding?: number;
}

export interface DashboardInput {
  /** Resolved or closed barriers. */
  closed: { _id: string; locality: string }[];
  /** Barriers that ever breached a deadline. */
  breachedIds: string[];
  /** Open barriers. */
  open: { category: string }[];
  /** Every `routed` event of a barrier: one per stage reached. */
  routed: { stage: string }[];
  /** Every `breached` event. */
  breaches: { stage: string; at: Date }[];
}

export interface DashboardFigures {
  byLocality: FigureRow[];
  byStage: FigureRow[];
  breachesByWeek: FigureRow[];
  openByCategory: FigureRow[];
}

const WEEK = 7 * 86_400_000;
const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((100 * n) / d));

/** What the figures need of one input, worked out once (the read cache hands out the same input until the data changes). */
interface Prepared {
  fixed: Omit<DashboardFigures, 'breachesByWeek'>;
  /** Every breach's time, ascending. */
  breachTimes: number[];
}

const prepared = new WeakMap<DashboardInput, Prepared>();

/** How many rows of each key. */
function countBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return counts;
}

function prepare(input: DashboardInput): Prepared {
  const breachedSet = new Set(input.breachedIds);
  const closed = countBy(input.closed, (b) => b.locality);
  const closedOnTime = countBy(
    input.closed.filter((b) => !breachedSet.has(b._id)),
    (b) => b.locality,
  );
  const byLocality = [...closed.keys()].sort().map((l) => {
    const n = closed.get(l)!;
    return { label: l, value: pct(closedOnTime.get(l) ?? 0, n), n };
  });
  const entered = countBy(input.routed, (e) => e.stage);
  const missed = countBy(input.breaches, (e) => e.stage);
  const byStage = STAGES.filter((s) => s !== 'whitehall').map((s) => {
    const n = entered.get(s) ?? 0;
    return { label: s, value: pct(Math.max(0, n - (missed.get(s) ?? 0)), n), n };
  });
  const open = countBy(input.open, (b) => b.category);
  const openByCategory = CATEGORIES.map((c) => ({ label: c, value: open.get(c) ?? 0 }));
  const breachTimes = input.breaches.map((e) => e.at.getTime()).sort((a, b) => a - b);
  return { fixed: { byLocality, byStage, openByCategory }, breachTimes };
}

/** How many of the ascending `times` are at or before `t`. */
function atOrBefore(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The figures from what was read, as at `now`. The counts are worked out once
 * for each input and each view only places `now` among the breaches, so a
 * view answered from the read cache costs the same however much history there is.
 * The figures are shared between views: callers must not change them.
 */
export function dashboardFigures(input: DashboardInput, now: number): DashboardFigures {
  let p = prepared.get(input);
  if (!p) prepared.set(input, (p = prepare(input)));
  const { breachTimes } = p;
  const breachesByWeek = [7, 6, 5, 4, 3, 2, 1, 0].map((ago) => {
    const to = now - ago * WEEK;
    return {
      label: `week-to-${to}`,
      weekEnding: to,
      // Breaches in (to - a week, to].
      value: atOrBefore(breachTimes, to) - atOrBefore(breachTimes, to - WEEK),
    };
  });
  return { ...p.fixed, breachesByWeek };
}

/**
 * Computes the figures as at `now` from what the store holds, read again only
 * when the read model has changed (store/read-cache.ts).
 */
export async function readDashboard(
  deps: Pick<ServiceDeps, 'models'>,
  now: number,
): Promise<DashboardFigures> {
  const input = await readThrough(deps.models, 'barriers', 'dashboard', () =>
    readDashboardInput(deps),
  );
  return dashboardFigures(input, now);
}

async function readDashboardInput(deps: Pick<ServiceDeps, 'models'>): Promise<DashboardInput> {
  const { models } = deps;
  const [closed, breachedIds, open, routed, breaches] = await Promise.all([
    models.Barrier.find({ status: { $in: ['resolved', 'closed'] } }, { locality: 1 }).lean(),
    models.TimelineEvent.distinct('barrierId', { type: 'breached' }),
    models.Barrier.find({ status: 'open' }, { category: 1 }).lean(),
    models.TimelineEvent.find({ type: 'routed', barrierId: /^GT-/ }, { stage: 1 }).lean(),
    models.TimelineEvent.find({ type: 'breached' }, { stage: 1, at: 1 }).lean(),
  ]);
  return { closed, breachedIds: breachedIds.map(String), open, routed, breaches };
}
