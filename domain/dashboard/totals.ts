/**
 * The SLA dashboard's totals as arithmetic: counts under keys (`closed|wigan`,
 * `entered|gmca` …, see {@link Kind}) and the times of recent breaches, what
 * a barrier adds to them by its standing (open in a category, closed in a
 * locality on time or not) and its events (`routed` and `breached`, by stage),
 * and how totals add up. The projection keeps them as deltas and snapshots
 * (store/dashboard-rollups.ts); the figures are worked out from them
 * (figures.ts).
 */
/**
 * What a key counts: `open` barriers by category; `closed` (resolved or
 * closed) barriers by locality, and of those `onTime`, the ones that never
 * missed a deadline; `entered`, `routed` events (a stage reached), and
 * `missed`, `breached` events (a deadline missed), by stage.
 */
export type Kind = 'open' | 'closed' | 'onTime' | 'entered' | 'missed';

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
  everBreached?: boolean | null;
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
  if (b.status === 'open') return [totalKey('open', b.category)];
  if (b.status !== 'resolved' && b.status !== 'closed') return [];
  const closed = totalKey('closed', b.locality);
  return b.everBreached ? [closed] : [closed, totalKey('onTime', b.locality)];
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
