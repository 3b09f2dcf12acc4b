/**
 * Who hears about what: the emails a batch of timeline events calls for.
 *
 * Pure and deterministic. The notification activity plans with this, then
 * renders and sends each message once (its key is unique in the email log).
 *
 * Rules that keep people from being spammed:
 * - nobody is told about their own action;
 * - one message per person per kind in a batch (warnings: per event);
 * - a breach that escalates is one message each: the owner who missed it gets
 *   `breached`, the new owner and the raiser get `escalated` (not also
 *   `assigned` and `breached`).
 */
import type { TimelineEvent } from '../barrier/types.ts';

/** Every kind of email Golden Thread sends. */
export const MESSAGE_KINDS = [
  'assigned',
  'warning',
  'breached',
  'escalated',
  'info-requested',
  'resolved',
  'closed',
  'returned',
  'merged',
  'ask-submitted',
  'ask-chased',
  'ask-outcome',
  'digest',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Kinds that are always sent at once, whatever the reader's preference. */
export const URGENT_KINDS: readonly MessageKind[] = ['breached', 'escalated'];

/** How a person wants non-urgent messages. */
export const DELIVERY_PREFERENCES = ['immediate', 'daily-digest'] as const;
export type DeliveryPreference = (typeof DELIVERY_PREFERENCES)[number];

/** One email to one person about one event. */
export interface PlannedMessage {
  /** Unique forever: `<barrierId>:<seq>:<kind>:<recipient>`. */
  key: string;
  kind: MessageKind;
  to: string;
  barrierId: string;
  event: TimelineEvent;
  /** The reader follows the barrier and is told of it for that reason alone. */
  follower?: boolean;
}

/** What planning needs to know of the barrier. */
export interface BarrierFacts {
  id: string;
  raisedBy: string;
  /** Everyone who raised it, merged barriers' raisers included (defaults to raisedBy). */
  raisers?: string[];
  owner: { email: string } | null;
  /** People who follow it: they hear of its progress, never the owner's reminders. */
  followers?: string[];
}

/** The kinds a follower hears: where the barrier went and how it ended. */
export const FOLLOWER_KINDS: readonly MessageKind[] = [
  'escalated',
  'returned',
  'merged',
  'resolved',
  'closed',
  'ask-submitted',
  'ask-outcome',
];

export function messageKey(barrierId: string, seq: number, kind: MessageKind, to: string): string {
  return `${barrierId}:${seq}:${kind}:${to.toLowerCase()}`;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The messages `events` (one batch, in seq order) call for. */
export function planBarrierMessages(
  barrier: BarrierFacts,
  events: readonly TimelineEvent[],
): PlannedMessage[] {
  const out: PlannedMessage[] = [];
  // Within a batch a person hears each kind once (warnings once per event).
  const sent = new Set<string>();
  const raisers = barrier.raisers?.length ? barrier.raisers : [barrier.raisedBy];
  events.forEach((event, i) => {
    const previous = events[i - 1];
    const next = events[i + 1];
    const d = event.details;
    const tell = (kind: MessageKind, to: string | null, follower = false) => {
      if (!to || to === event.actor) return;
      const once = `${kind === 'warning' ? event.seq : ''}:${kind}:${to.toLowerCase()}`;
      if (sent.has(once)) return;
      sent.add(once);
      out.push({
        key: messageKey(barrier.id, event.seq, kind, to),
        kind,
        to,
        barrierId: barrier.id,
        event,
        ...(follower ? { follower: true } : {}),
      });
    };
    // Followers hear what the raisers hear of the barrier's progress (after them, so a
    // follower who raised it or owns it gets one message, not two).
    const tellFollowers = (kind: MessageKind) => {
      if (FOLLOWER_KINDS.includes(kind))
        for (const f of barrier.followers ?? []) tell(kind, f, true);
    };
    // A row imported already closed is history, not news: nobody is told.
    if (d.imported === true) return;
    switch (event.type) {
      case 'routed': {
        const owner = str((d.owner as { email?: unknown } | undefined)?.email);
        // After an escalation (or a return) the new owner hears that, not `assigned`.
        tell(
          previous?.type === 'escalated'
            ? 'escalated'
            : previous?.type === 'returned'
              ? 'returned'
              : 'assigned',
          owner,
        );
        break;
      }
      case 'triaged':
        tell('assigned', str((d.owner as { email?: unknown } | undefined)?.email));
        break;
      case 'returned':
        for (const r of raisers) tell('returned', r);
        tellFollowers('returned');
        break;
      case 'merged':
        // This barrier closed into another: all its raisers hear. The survivor's
        // own raiser hears from the survivor's side (the newcomers already did).
        if (d.direction === 'into') {
          for (const r of raisers) tell('merged', r);
          tellFollowers('merged');
        } else tell('merged', barrier.raisedBy);
        break;
      case 'ask-submitted':
        for (const r of raisers) tell('ask-submitted', r);
        tellFollowers('ask-submitted');
        break;
      case 'ask-chased':
        for (const r of raisers) tell('ask-chased', r);
        break;
      case 'ask-outcome':
        for (const r of raisers) tell('ask-outcome', r);
        tell('ask-outcome', barrier.owner?.email ?? null);
        tellFollowers('ask-outcome');
        break;
      case 'reassigned':
        tell('assigned', str((d.to as { email?: unknown } | undefined)?.email));
        break;
      case 'warning':
        tell('warning', str(d.owner));
        break;
      case 'breached':
        tell('breached', str(d.owner));
        // When the breach escalates, the raiser hears it as `escalated`.
        if (next?.type !== 'escalated') for (const r of raisers) tell('breached', r);
        break;
      case 'escalated':
        for (const r of raisers) tell('escalated', r);
        // The owner who missed a deadline already heard `breached`.
        if (d.automatic !== true) tell('escalated', str(d.previousOwner));
        tellFollowers('escalated');
        break;
      case 'info-requested':
        tell('info-requested', barrier.raisedBy);
        break;
      case 'resolved':
        for (const r of raisers) tell('resolved', r);
        tellFollowers('resolved');
        break;
      case 'withdrawn':
        for (const r of raisers) tell('closed', r);
        tellFollowers('closed');
        break;
      default:
        break;
    }
  });
  return out;
}

/** One email about a Whitehall ask. */
export interface PlannedAskMessage {
  key: string;
  kind: MessageKind;
  to: string;
  askId: string;
  event: { seq: number; at: number; type: string; actor: string; details: Record<string, unknown> };
}

/** The ask's GMCA owner hears of submission, each chaser and the outcome (not of their own acts). */
export function planAskMessages(
  ask: { id: string; owner: { email: string } },
  events: readonly PlannedAskMessage['event'][],
): PlannedAskMessage[] {
  const kinds: Record<string, MessageKind> = {
    'ask-submitted': 'ask-submitted',
    'ask-chased': 'ask-chased',
    'ask-outcome': 'ask-outcome',
  };
  return events.flatMap((event) => {
    const kind = kinds[event.type];
    if (!kind || event.actor === ask.owner.email) return [];
    const to = ask.owner.email;
    return [{ key: messageKey(ask.id, event.seq, kind, to), kind, to, askId: ask.id, event }];
  });
}
