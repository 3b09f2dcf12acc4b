/**
 * The events a webhook subscriber may ask for, and which of a barrier's or an
 * ask's timeline events each one is. One home for the names: the projection
 * records deliveries by them, the API and the admin page offer them, the
 * README lists them.
 */
import type { TimelineEventType } from '../barrier/types.ts';
import type { AskEventType } from '../ask/ask-machine.ts';

export const WEBHOOK_EVENT_TYPES = [
  'barrier.raised',
  'barrier.routed',
  'barrier.assigned',
  'barrier.acknowledged',
  'barrier.paused',
  'barrier.resumed',
  'barrier.escalated',
  'barrier.breached',
  'barrier.returned',
  'barrier.merged',
  'barrier.linked',
  'barrier.promoted',
  'barrier.resolved',
  'barrier.withdrawn',
  'barrier.reopened',
  'ask.submitted',
  'ask.chased',
  'ask.answered',
  'ask.withdrawn',
  'ask.published',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What each event type means, for the admin page and the API's description. */
export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  'barrier.raised': 'A barrier was raised (or imported)',
  'barrier.routed': 'A barrier was routed to its owner at a stage',
  'barrier.assigned': 'A barrier was reassigned, or accepted at GMCA with an owner',
  'barrier.acknowledged': 'A barrier was acknowledged',
  'barrier.paused': 'A barrier’s clock was paused awaiting information',
  'barrier.resumed': 'A barrier’s clock resumed',
  'barrier.escalated': 'A barrier was escalated to the next stage',
  'barrier.breached': 'A barrier missed a deadline',
  'barrier.returned': 'GMCA returned a barrier to its locality',
  'barrier.merged': 'A barrier was merged into another as a duplicate',
  'barrier.linked': 'A barrier was linked to a related one',
  'barrier.promoted': 'A barrier was promoted into a Whitehall ask',
  'barrier.resolved': 'A barrier was resolved',
  'barrier.withdrawn': 'A barrier was withdrawn',
  'barrier.reopened': 'A closed barrier was reopened',
  'ask.submitted': 'A Whitehall ask was submitted to its department',
  'ask.chased': 'A Whitehall ask was chased',
  'ask.answered': 'A Whitehall ask got its outcome',
  'ask.withdrawn': 'A Whitehall ask was withdrawn',
  'ask.published': 'A Whitehall ask (or its update) was published on the open register',
};

const BARRIER_EVENTS: Partial<Record<TimelineEventType, WebhookEventType>> = {
  raised: 'barrier.raised',
  imported: 'barrier.raised',
  routed: 'barrier.routed',
  reassigned: 'barrier.assigned',
  triaged: 'barrier.assigned',
  acknowledged: 'barrier.acknowledged',
  'info-requested': 'barrier.paused',
  'info-provided': 'barrier.resumed',
  escalated: 'barrier.escalated',
  breached: 'barrier.breached',
  returned: 'barrier.returned',
  merged: 'barrier.merged',
  linked: 'barrier.linked',
  promoted: 'barrier.promoted',
  resolved: 'barrier.resolved',
  withdrawn: 'barrier.withdrawn',
  reopened: 'barrier.reopened',
  // Closed by its Whitehall ask's agreed outcome: resolved, as far as a subscriber is concerned.
  closed: 'barrier.resolved',
};

const ASK_EVENTS: Partial<Record<AskEventType, WebhookEventType>> = {
  'ask-submitted': 'ask.submitted',
  'ask-chased': 'ask.chased',
  'ask-outcome': 'ask.answered',
  withdrawn: 'ask.withdrawn',
};

/** The webhook event a barrier's timeline event is, or null when subscribers are not told of it. */
export const barrierWebhookType = (type: string): WebhookEventType | null =>
  BARRIER_EVENTS[type as TimelineEventType] ?? null;

/** The webhook event an ask's timeline event is, or null. */
export const askWebhookType = (type: string): WebhookEventType | null =>
  ASK_EVENTS[type as AskEventType] ?? null;

/** What a subscription asks for. */
export interface WebhookFilter {
  eventTypes: readonly string[];
  /** Only events of barriers in this locality (of asks bundling one of its barriers); null: all. */
  locality: string | null;
}

/** Whether a subscription wants an event of this type, about a subject in these localities. */
export const subscriptionWants = (
  filter: WebhookFilter,
  type: WebhookEventType,
  localities: readonly string[],
): boolean =>
  filter.eventTypes.includes(type) &&
  (filter.locality === null || localities.includes(filter.locality));
