/**
 * The SLA dashboard's totals as arithmetic: counts under keys (`closed|wigan`,
 * `entered|gmca` …, see {@link Kind}) and the times of recent breaches, what
 * a barrier adds to them by its standing (open in a category, at a locality
 * and stage; closed in a locality on time or not, and how long it took to
 * resolve) and its events (`routed` and `breached`, by stage), and how totals
 * add up. The projection keeps them as deltas and snapshots
 * (store/dashboard-rollups.ts); the figures are worked out from them
 * (figures.ts).
 */
import { WORKING_DAY_MS, workingTimeBetween } from '../calendar/working-time.ts';

/**
 * What a key counts: `open` barriers by category, and `openAt` by
 * `<locality>|<stage>`; `closed` (resolved or closed) barriers by locality,
 * and of those `onTime`, the ones that never missed a deadline; `resolvedIn`,
 * resolved or closed barriers by `<stage>|<bin>`, the stage they were resolved
 * at and their working time to resolve rounded down to its bin
 * ({@link resolveBin}): a histogram per stage; `entered`, `routed` events (a
 * stage reached), and `missed`, `breached` events (a deadline missed), by stage.
 */
export type Kind = 'open' | 'openAt' | 'closed' | 'onTime' | 'resolvedIn' | 'entered' | 'missed';

export const totalKey = (kind: Kind, label: string) => `${kind}|${label}`;

/** The labels that `kind` has a count under in `counts`. */
export function labelsOf(counts: ReadonlyMap<string, number>, kind: Kind): string[] {
  const prefix = totalKey(kind, '');
  return [...counts.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
}

/** The dashboard's totals (or a change to them). */
export interface Totals {
  counts: ReadonlyMap<string, number>;
  /** When each deadline was missed (epoch ms), in no order. */
  breaches: readonly number[];
}

/** What of a barrier's document its standing in the totals depends on. */
export interface Standing {
  status: string;
  locality: string;
  category: string;
  stage: string;
  everBreached?: boolean | null;
  /**
   * Its working time to resolve ({@link timeToResolve}) as the projection
   * stored it beside the barrier, so that what a delta takes away is exactly
   * what an earlier one added, whatever the calendar says by then.
   */
  resolvedInMs?: number | null;
}

/** What of a barrier its working time to resolve depends on. */
export interface Resolving {
  status: string;
  raisedAt: Date | number;
  closedAt?: Date | number | null;
  /** Its policy's calendar (`24x7`, or working hours). */
  calendar?: string | null;
}

const ms = (t: Date | number) => (typeof t === 'number' ? t : t.getTime());

/**
 * The working time from raised to resolved, in the barrier's own calendar,
 * for a resolved or closed barrier (closed by Whitehall agreeing an ask counts
 * as resolved); null for any other.
 */
export function timeToResolve(b: Resolving): number | null {
  if ((b.status !== 'resolved' && b.status !== 'closed') || !b.closedAt) return null;
  const calendar = b.calendar === '24x7' ? '24x7' : 'working-hours-england-and-wales';
  return workingTimeBetween(calendar, ms(b.raisedAt), ms(b.closedAt));
}

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * The histogram bin a working time to resolve is counted in, as its lower
 * edge in ms: to the second under a minute, to the minute under a working day
 * (8 hours), to the hour from there. The page shows a time to resolve to the
 * same units ("45 seconds", "3 working hours and 20 minutes", "2 working days
 * and 3 hours"), so a median read from the bins (figures.ts) is at most one of
 * them below the exact median, never above it; the bins a stage can fill grow
 * by eight a working day of its longest time to resolve.
 */
export function resolveBin(spanMs: number): number {
  const unit = spanMs < MINUTE ? SECOND : spanMs < WORKING_DAY_MS ? MINUTE : HOUR;
  return Math.floor(Math.max(0, spanMs) / unit) * unit;
}

/** What of a timeline event the totals count (`at` as stored, or epoch ms). */
export interface CountedEvent {
  type: string;
  stage: string;
  at: Date | number;
}

function addTo(counts: Map<string, number>, key: string, n: number): void {
  const v = (counts.get(key) ?? 0) + n;
  if (v === 0) counts.delete(key);
  else counts.set(key, v);
}

function standingKeys(b: Standing | null): string[] {
  if (!b) return [];
  if (b.status === 'open')
    return [totalKey('open', b.category), totalKey('openAt', `${b.locality}|${b.stage}`)];
  if (b.status !== 'resolved' && b.status !== 'closed') return [];
  const keys = [totalKey('closed', b.locality)];
  if (!b.everBreached) keys.push(totalKey('onTime', b.locality));
  if (typeof b.resolvedInMs === 'number')
    keys.push(totalKey('resolvedIn', `${b.stage}|${resolveBin(b.resolvedInMs)}`));
  return keys;
}

/** Adds what these events count to `counts` and `breaches`. */
function countEvents(
  counts: Map<string, number>,
  breaches: number[],
  events: readonly CountedEvent[],
): void {
  for (const e of events) {
    if (e.type === 'routed') addTo(counts, totalKey('entered', e.stage), 1);
    if (e.type === 'breached') {
      addTo(counts, totalKey('missed', e.stage), 1);
      breaches.push(typeof e.at === 'number' ? e.at : e.at.getTime());
    }
  }
}

/**
 * What a barrier moving from `before` (null: not in the read model yet) to
 * `after`, with `events` new since `before`, changes in the totals.
 */
export function barrierDelta(
  before: Standing | null,
  after: Standing,
  events: readonly CountedEvent[],
): Totals {
  const counts = new Map<string, number>();
  for (const k of standingKeys(before)) addTo(counts, k, -1);
  for (const k of standingKeys(after)) addTo(counts, k, 1);
  const breaches: number[] = [];
  countEvents(counts, breaches, events);
  return { counts, breaches };
}

/** True when `t` changes nothing. */
export const isEmpty = (t: Totals) => t.counts.size === 0 && t.breaches.length === 0;

/** The totals of whole barriers and their events, counted from scratch. */
export function totalsOf(barriers: readonly Standing[], events: readonly CountedEvent[]): Totals {
  const counts = new Map<string, number>();
  for (const b of barriers) for (const k of standingKeys(b)) addTo(counts, k, 1);
  const breaches: number[] = [];
  countEvents(counts, breaches, events);
  return { counts, breaches };
}

/** `parts` added up. */
export function sumTotals(parts: readonly Totals[]): Totals {
  const counts = new Map<string, number>();
  const breaches: number[] = [];
  for (const p of parts) {
    for (const [k, n] of p.counts) addTo(counts, k, n);
    breaches.push(...p.breaches);
  }
  return { counts, breaches };
}
