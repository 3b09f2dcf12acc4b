/**
 * The dashboard's figures that the projection's totals (totals.ts) do not
 * keep, worked out from what the read model holds now: open barriers by
 * locality and stage, the median working time to resolve by the stage a
 * barrier was resolved at, and asks by outcome.
 */
import { workingTimeBetween } from '../calendar/working-time.ts';
import { ASK_OUTCOMES } from '../barrier/types.ts';
import { LOCALITIES, STAGES } from '../reference-data.ts';
import type { FigureRow } from './figures.ts';

/** What of an open barrier the counts need. */
export interface OpenBarrier {
  locality: string;
  stage: string;
}

/** What of a resolved barrier its time to resolve needs. */
export interface ResolvedBarrier {
  stage: string;
  raisedAt: Date | number;
  closedAt: Date | number | null | undefined;
  /** Its policy's calendar (`24x7`, or working hours). */
  calendar: string | null | undefined;
}

/** What of an ask its outcome needs. */
export interface AskStanding {
  status: string;
  outcome?: string | null;
}

/** One locality's open barriers: how many at each stage, and in all. */
export interface LocalityStages {
  locality: string;
  byStage: Record<string, number>;
  total: number;
}

const ms = (t: Date | number) => (typeof t === 'number' ? t : t.getTime());

/** Open barriers by locality (every locality, in order) and stage (every stage). */
export function openByLocalityAndStage(open: readonly OpenBarrier[]): LocalityStages[] {
  const rows = new Map<string, LocalityStages>(
    LOCALITIES.map((l) => [
      l,
      { locality: l, byStage: Object.fromEntries(STAGES.map((s) => [s, 0])), total: 0 },
    ]),
  );
  for (const b of open) {
    const row = rows.get(b.locality);
    if (!row || !(b.stage in row.byStage)) continue;
    row.byStage[b.stage]! += 1;
    row.total += 1;
  }
  return [...rows.values()];
}

/** The median of `values` (the mean of the middle two for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median working time from raised to resolved (in each barrier's own
 * calendar) by the stage it was resolved at: `value` in ms, `n` how many were
 * resolved there (0, and value 0, where none was).
 */
export function medianResolveByStage(resolved: readonly ResolvedBarrier[]): FigureRow[] {
  const spans = new Map<string, number[]>(STAGES.map((s) => [s, []]));
  for (const b of resolved) {
    if (!b.closedAt) continue;
    const calendar = b.calendar === '24x7' ? '24x7' : 'working-hours-england-and-wales';
    spans.get(b.stage)?.push(workingTimeBetween(calendar, ms(b.raisedAt), ms(b.closedAt)));
  }
  return STAGES.map((s) => {
    const all = spans.get(s) ?? [];
    return { label: s, value: Math.round(median(all) ?? 0), n: all.length };
  });
}

/** Asks by outcome (every outcome), then those still waiting for one (submitted, no answer yet). */
export function asksByOutcome(asks: readonly AskStanding[]): FigureRow[] {
  const count = (outcome: string) => asks.filter((a) => a.outcome === outcome).length;
  return [
    ...ASK_OUTCOMES.map((o) => ({ label: o, value: count(o) })),
    {
      label: 'awaiting',
      value: asks.filter((a) => a.status === 'submitted' && !a.outcome).length,
    },
  ];
}
