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

/** The figures from what was read, as at `now`. */
export function dashboardFigures(input: DashboardInput, now: number): DashboardFigures {
  const breachedSet = new Set(input.breachedIds);
  const byLocality = [...new Set(input.closed.map((b) => b.locality))].sort().map((l) => {
    const mine = input.closed.filter((b) => b.locality === l);
    const ok = mine.filter((b) => !breachedSet.has(b._id)).length;
    return { label: l, value: pct(ok, mine.length), n: mine.length };
  });
  const byStage = STAGES.filter((s) => s !== 'whitehall').map((s) => {
    const entered = input.routed.filter((e) => e.stage === s).length;
    const missed = input.breaches.filter((e) => e.stage === s).length;
    return { label: s, value: pct(Math.max(0, entered - missed), entered), n: entered };
  });
  const breachesByWeek = [7, 6, 5, 4, 3, 2, 1, 0].map((ago) => {
    const to = now - ago * WEEK;
    const from = to - WEEK;
    return {
      label: `week-to-${to}`,
      weekEnding: to,
      value: input.breaches.filter((e) => e.at.getTime() > from && e.at.getTime() <= to).length,
    };
  });
  const openByCategory = CATEGORIES.map((c) => ({
    label: c,
    value: input.open.filter((b) => b.category === c).length,
  }));
  return { byLocality, byStage, breachesByWeek, openByCategory };
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
