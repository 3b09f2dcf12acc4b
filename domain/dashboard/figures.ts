/**
 * The SLA dashboard's figures from its totals (totals.ts): compliance by
 * locality and by stage, breaches per week, open barriers by category and by
 * locality and stage, and the median working time to resolve by stage.
 */
import { CATEGORIES, LOCALITIES, STAGES } from '../reference-data.ts';
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

/** One locality's open barriers: how many at each stage, and in all. */
export interface LocalityStages {
  locality: string;
  byStage: Record<string, number>;
  total: number;
}

/** The figures of barriers' standing now: open by locality and stage, and time to resolve. */
export interface StandingFigures {
  openByLocalityAndStage: LocalityStages[];
  medianResolveByStage: FigureRow[];
}

/** What the figures need of one set of totals, worked out once (the read cache hands out the same totals until the data changes). */
interface Prepared {
  fixed: Omit<DashboardFigures, 'breachesByWeek'>;
  standing: StandingFigures;
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
  const openByLocalityAndStage = LOCALITIES.map((locality) => {
    const byStage = Object.fromEntries(STAGES.map((s) => [s, count('openAt', `${locality}|${s}`)]));
    const total = Object.values(byStage).reduce((a, b) => a + b, 0);
    return { locality, byStage, total };
  });
  return {
    fixed: { byLocality, byStage, openByCategory },
    standing: { openByLocalityAndStage, medianResolveByStage: medianResolveByStage(totals) },
    breachTimes,
  };
}

/** Each stage's histogram of working time to resolve: [bin's lower edge (ms), how many] ascending. */
function resolveHistograms(totals: Totals): Map<string, [number, number][]> {
  const bins = new Map<string, [number, number][]>(STAGES.map((s) => [s, []]));
  for (const label of labelsOf(totals.counts, 'resolvedIn')) {
    const cut = label.lastIndexOf('|');
    const n = totals.counts.get(totalKey('resolvedIn', label)) ?? 0;
    if (n > 0) bins.get(label.slice(0, cut))?.push([Number(label.slice(cut + 1)), n]);
  }
  for (const b of bins.values()) b.sort((x, y) => x[0] - y[0]);
  return bins;
}

/** The value at `rank` (0 first) of a histogram's values, each taken as its bin's lower edge. */
function atRank(bins: readonly [number, number][], rank: number): number {
  let seen = 0;
  for (const [edge, n] of bins) {
    seen += n;
    if (rank < seen) return edge;
  }
  return bins.at(-1)?.[0] ?? 0;
}

/**
 * The median working time from raised to resolved by the stage a barrier was
 * resolved at (the mean of the middle two for an even count), from the
 * histogram of each stage: `value` in ms, `n` how many were resolved there (0,
 * and value 0, where none was). Each value counts as its bin's lower edge
 * (totals.ts, `resolveBin`: the second under a minute, the minute under a
 * working day, the hour from there), so the median is never above the exact
 * median and below it by less than the unit of the (larger) middle value.
 */
function medianResolveByStage(totals: Totals): FigureRow[] {
  return [...resolveHistograms(totals)].map(([stage, bins]) => {
    const n = bins.reduce((a, [, c]) => a + c, 0);
    if (n === 0) return { label: stage, value: 0, n };
    const median =
      n % 2 ? atRank(bins, (n - 1) / 2) : (atRank(bins, n / 2 - 1) + atRank(bins, n / 2)) / 2;
    return { label: stage, value: Math.round(median), n };
  });
}

/**
 * Open barriers by locality (every locality, in order) and stage (every
 * stage), and the median time to resolve by stage, from the totals: worked
 * out once for each set of totals and shared between views, so callers must
 * not change them.
 */
export function standingFigures(totals: Totals): StandingFigures {
  return preparedFor(totals).standing;
}

function preparedFor(totals: Totals): Prepared {
  let p = prepared.get(totals);
  if (!p) prepared.set(totals, (p = prepare(totals)));
  return p;
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
  const p = preparedFor(totals);
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
