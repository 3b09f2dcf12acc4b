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
import type { TimelineEvent } from '../barrier/barrier-machine.ts';

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
}

/** What planning needs to know of the barrier. */
export interface BarrierFacts {
  id: string;
  raisedBy: string;
  owner: { email: string } | null;
}

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
  events.forEach((event, i) => {
    const previous = events[i - 1];
    const next = events[i + 1];
    const d = event.details;
    const tell = (kind: MessageKind, to: string | null) => {
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
      });
    };
    switch (event.type) {
      case 'routed': {
        const owner = str((d.owner as { email?: unknown } | undefined)?.email);
        // After an escalation the new owner hears `escalated`, not `assigned`.
        tell(previous?.type === 'escalated' ? 'escalated' : 'assigned', owner);
        break;
      }
      case 'reassigned':
        tell('assigned', str((d.to as { email?: unknown } | undefined)?.email));
        break;
      case 'warning':
        tell('warning', str(d.owner));
        break;
      case 'breached':
        tell('breached', str(d.owner));
        // When the breach escalates, the raiser hears it as `escalated`.
        if (next?.type !== 'escalated') tell('breached', barrier.raisedBy);
        break;
      case 'escalated':
        tell('escalated', barrier.raisedBy);
        // The owner who missed a deadline already heard `breached`.
        if (d.automatic !== true) tell('escalated', str(d.previousOwner));
        break;
      case 'info-requested':
        tell('info-requested', barrier.raisedBy);
        break;
      case 'resolved':
        tell('resolved', barrier.raisedBy);
        break;
      case 'withdrawn':
        tell('closed', barrier.raisedBy);
        break;
      default:
        break;
    }
  });
  return out;
}
