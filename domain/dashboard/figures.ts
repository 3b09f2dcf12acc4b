/**
 * The SLA dashboard's figures from its totals (totals.ts): compliance by
 * locality and by stage, breaches per week, open barriers by category.
 */
import { CATEGORIES, STAGES } from '../reference-data.ts';
import { labelsOf, totalKey, type Kind, type Totals } from './totals.ts';

/** One row of a figure: a label, its value and, for a share, what it is out of. */
export interface FigureRow {
  label: string;
  value: number;
  /** The whole a percentage is of (absent for counts). */
  n?: number;
  /** For week rows: the week's last instant (epoch ms). */
  weekEnding?: number;
}

export interface DashboardFigures {
  byLocality: FigureRow[];
  byStage: FigureRow[];
  breachesByWeek: FigureRow[];
  openByCategory: FigureRow[];
}

const WEEK = 7 * 86_400_000;
const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((100 * n) / d));

/** What the figures need of one set of totals, worked out once (the read cache hands out the same totals until the data changes). */
interface Prepared {
  fixed: Omit<DashboardFigures, 'breachesByWeek'>;
  /** Every breach's time, ascending. */
  breachTimes: number[];
}

const prepared = new WeakMap<Totals, Prepared>();

function prepare(totals: Totals): Prepared {
  const count = (kind: Kind, label: string) => totals.counts.get(totalKey(kind, label)) ?? 0;
  const localities = labelsOf(totals.counts, 'closed')
    .filter((l) => count('closed', l) > 0)
    .sort();
  const byLocality = localities.map((l) => {
    const n = count('closed', l);
    return { label: l, value: pct(count('onTime', l), n), n };
  });
  const byStage = STAGES.filter((s) => s !== 'whitehall').map((s) => {
    const n = count('entered', s);
    return { label: s, value: pct(Math.max(0, n - count('missed', s)), n), n };
  });
  const openByCategory = CATEGORIES.map((c) => ({ label: c, value: count('open', c) }));
  const breachTimes = [...totals.breaches].sort((a, b) => a - b);
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
 * The figures from the totals, as at `now`. They are worked out once for each
 * set of totals and each view only places `now` among the breaches, so a view
 * answered from the read cache costs the same however much history there is.
 * The figures are shared between views: callers must not change them.
 */
export function dashboardFigures(totals: Totals, now: number): DashboardFigures {
  let p = prepared.get(totals);
  if (!p) prepared.set(totals, (p = prepare(totals)));
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
