/**
 * One email for what happens together: the rules for combining a person's
 * barrier emails that fall due within the same short window.
 *
 * Pure and deterministic. The worker holds each planned message for the
 * window (worker/email-outbox.ts), then sends everything held for a person
 * as one email: items most urgent first, left out when their reason has gone
 * by the time it is sent.
 */
import type { TimelineEvent } from '../barrier/types.ts';
import type { MessageKind } from './messages.ts';

/** The kind of the email that carries several barriers' news together. */
export const COMBINED_KIND = 'combined';
/** Admins told that a webhook subscription was disabled after a run of failures (activities/webhook-email.ts). */
export const WEBHOOK_DISABLED_KIND = 'webhook-disabled';
/** Every kind an email may carry: a planned message's, a combined one, or an admin's notice. */
export type EmailKind = MessageKind | typeof COMBINED_KIND | typeof WEBHOOK_DISABLED_KIND;

/** The default window: how long a person's emails wait for others that happen with them. */
export const DEFAULT_EMAIL_WINDOW_SECONDS = 60;

/** Most urgent first: missed deadlines, escalations, work handed back, deadlines near, new work, news. */
const URGENCY: readonly MessageKind[] = [
  'breached',
  'escalated',
  'returned',
  'warning',
  'assigned',
  'info-requested',
  'ask-outcome',
  'merged',
  'resolved',
  'closed',
  'ask-submitted',
  'ask-chased',
];

/** How a count of each kind reads in a summary ("3 deadlines missed"). */
const COUNT_WORDS: Partial<Record<MessageKind, [one: string, many: string]>> = {
  breached: ['deadline missed', 'deadlines missed'],
  escalated: ['barrier escalated', 'barriers escalated'],
  returned: ['barrier returned', 'barriers returned'],
  warning: ['deadline near', 'deadlines near'],
  assigned: ['barrier assigned to you', 'barriers assigned to you'],
  'info-requested': ['request for information', 'requests for information'],
  'ask-outcome': ['Whitehall answer', 'Whitehall answers'],
  merged: ['barrier merged', 'barriers merged'],
  resolved: ['barrier resolved', 'barriers resolved'],
  closed: ['barrier closed', 'barriers closed'],
  'ask-submitted': ['barrier put to Whitehall', 'barriers put to Whitehall'],
  'ask-chased': ['Whitehall ask chased', 'Whitehall asks chased'],
};

/** How a count of an ask's own news reads, to the ask's GMCA owner ("2 Whitehall asks submitted"). */
const ASK_COUNT_WORDS: Partial<Record<MessageKind, [one: string, many: string]>> = {
  'ask-outcome': ['Whitehall answer', 'Whitehall answers'],
  'ask-submitted': ['Whitehall ask submitted', 'Whitehall asks submitted'],
  'ask-chased': ['Whitehall ask chased', 'Whitehall asks chased'],
};

/** What ordering and summarising need of a held item. */
export interface CoalescedItem {
  kind: MessageKind;
  reference: string;
  event: Pick<TimelineEvent, 'at' | 'details'>;
  /** What it is news of: a barrier (the default) or, to its GMCA owner, a Whitehall ask. */
  about?: 'barrier' | 'ask';
}

const rank = (kind: MessageKind) => {
  const i = URGENCY.indexOf(kind);
  return i === -1 ? URGENCY.length : i;
};
/** The instant an item is about: its deadline when it has one, else when it happened. */
const instant = (item: CoalescedItem) =>
  typeof item.event.details.dueAt === 'number' ? item.event.details.dueAt : item.event.at;

/** Items most urgent first: by kind, then the earliest deadline (or event), then reference. */
export function mostUrgentFirst<T extends CoalescedItem>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) ||
      instant(a) - instant(b) ||
      a.reference.localeCompare(b.reference),
  );
}

/** The most items one email lists: more than this for one person go as several emails. */
export const MAX_ITEMS_PER_EMAIL = 50;

/**
 * A person's held items as the emails that carry them: most urgent first,
 * at most {@link MAX_ITEMS_PER_EMAIL} each. The same items always split the
 * same way (ties go by key), so two workers flushing at once make the same emails.
 */
export function splitForEmails<T extends CoalescedItem & { key: string }>(
  items: readonly T[],
  max = MAX_ITEMS_PER_EMAIL,
): T[][] {
  const ordered = mostUrgentFirst([...items].sort((a, b) => a.key.localeCompare(b.key)));
  const out: T[][] = [];
  for (let i = 0; i < ordered.length; i += max) out.push(ordered.slice(i, i + max));
  return out;
}

/** "12 deadlines missed, 3 barriers escalated", most urgent kind first. */
export function summariseItems(items: readonly CoalescedItem[]): string {
  const counts = new Map<string, { kind: MessageKind; words: [string, string]; n: number }>();
  for (const i of items) {
    const words = (i.about === 'ask' ? ASK_COUNT_WORDS[i.kind] : undefined) ??
      COUNT_WORDS[i.kind] ?? ['update', 'updates'];
    const key = words[0];
    const c = counts.get(key) ?? { kind: i.kind, words, n: 0 };
    c.n += 1;
    counts.set(key, c);
  }
  return [...counts.values()]
    .sort((a, b) => rank(a.kind) - rank(b.kind))
    .map(({ words: [one, many], n }) => `${n} ${n === 1 ? one : many}`)
    .join(', ');
}

/** A stretch of time when no worker ran (from the last sign of life to the next start). */
export interface Outage {
  from: number;
  to: number;
}

/** How long after an outage the system's own acts (the routing after a late escalation) still belong to it. */
export const CATCH_UP_GRACE_MS = 120_000;

/** What made an item: the earliest instant behind it, and whether only the system acted. */
export interface Cause {
  at: number;
  bySystem: boolean;
}

/**
 * The outage that made these items late, if any: one during which something
 * an item is about fell due (the deadline behind an escalation), or one just
 * before the system acted on its own (routing after a late escalation). The
 * latest such outage wins.
 */
export function outageBehind(causes: readonly Cause[], outages: readonly Outage[]): Outage | null {
  let found: Outage | null = null;
  const behind = (o: Outage, c: Cause) =>
    (c.at >= o.from && c.at <= o.to) ||
    (c.bySystem && c.at > o.to && c.at <= o.to + CATCH_UP_GRACE_MS);
  for (const o of outages) {
    if (causes.some((c) => behind(o, c)) && (!found || o.to > found.to)) found = o;
  }
  return found;
}

/** The barrier as the read model has it when a held item is about to go. */
export interface BarrierNow {
  status: string;
  stage: string;
  cycle: number;
  acknowledged: boolean;
  ownerEmail: string | null;
  paused: boolean;
}

/** A held item as its staleness is judged: what it said, to whom, as of which stage and cycle. */
export interface HeldFacts {
  kind: MessageKind;
  to: string;
  event: Pick<TimelineEvent, 'type' | 'stage' | 'details'>;
  /** The barrier's stage and cycle when the item was planned. */
  stage: string;
  cycle: number;
}

/**
 * Whether a held item still says something true when its email goes. An item
 * asking its owner to act (a new assignment, a deadline near or missed at the
 * stage the barrier is still at) is left out once the barrier moved on,
 * changed hands, was paused or closed, or (for an acknowledgement) was
 * acknowledged: its reason has gone. News (escalated, resolved, …) always goes.
 */
export function stillWanted(item: HeldFacts, now: BarrierNow | null, at: number): boolean {
  if (!now) return true;
  const d = item.event.details;
  const mine = (now.ownerEmail ?? '').toLowerCase() === item.to.toLowerCase();
  const sameStage =
    now.status === 'open' && now.stage === item.stage && now.cycle === item.cycle && mine;
  switch (item.kind) {
    case 'warning':
      if (typeof d.dueAt === 'number' && at >= d.dueAt) return false;
      if (!sameStage || now.stage !== item.event.stage || now.paused) return false;
      return !(d.clock === 'acknowledge' && now.acknowledged);
    case 'assigned':
      if (item.event.type === 'triaged') return sameStage;
      if (item.event.type === 'reassigned') return sameStage;
      return sameStage && !now.acknowledged;
    case 'escalated':
    case 'returned':
      // Only the new owner's "now yours" (from the routing) asks them to act.
      if (item.event.type !== 'routed') return true;
      return sameStage && !now.acknowledged;
    case 'breached':
      // The owner who missed a deadline and still holds the barrier at that stage.
      if (typeof d.owner !== 'string' || d.owner.toLowerCase() !== item.to.toLowerCase())
        return true;
      if (item.stage !== item.event.stage) return true; // it escalated: news, not a request
      if (!sameStage) return false;
      return !(d.clock === 'acknowledge' && now.acknowledged);
    default:
      return true;
  }
}
