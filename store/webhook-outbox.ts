/**
 * The webhook outbox: an event, once projected, becomes one delivery for each
 * subscription that wants it. Ids are derived from the event and the
 * subscription, so a retried projection finds them there and adds nothing,
 * and the delivery's id is the `webhook-id` every attempt carries.
 */
import { createHash } from 'node:crypto';
import { subscriptionWants, type WebhookEventType } from '../domain/webhooks/events.ts';
import { isDuplicateKey } from './errors.ts';
import type { Models } from './models.ts';

export interface WebhookEventInput {
  /** `<subject id>:<seq>` (or another key unique to the event). */
  id: string;
  type: WebhookEventType;
  subjectId: string;
  seq: number;
  localities: readonly string[];
  /** The body, made only when someone wants the event. */
  body: () => string;
}

/** The `webhook-id` of an event's delivery to a subscription: the same on every attempt. */
export const webhookId = (eventId: string, subscriptionId: string): string =>
  `msg_${createHash('sha256').update(`${eventId}\n${subscriptionId}`).digest('base64url').slice(0, 27)}`;

/** Inserts each document unless one with its `_id` is there. */
async function insertAllUnlessThere(
  collection: { insertMany(docs: object[], options: object): Promise<unknown> },
  docs: object[],
): Promise<void> {
  if (docs.length === 0) return;
  try {
    await collection.insertMany(docs, { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: unknown[] }).writeErrors;
    const allDuplicates =
      Array.isArray(writeErrors) && writeErrors.length > 0
        ? writeErrors.every(
            (w) => isDuplicateKey(w) || isDuplicateKey((w as { err?: unknown }).err),
          )
        : isDuplicateKey(err);
    if (!allDuplicates) throw err;
  }
}

/**
 * Records the deliveries these events call for, and returns the active
 * subscriptions that now have something to send. Paused and disabled
 * subscriptions record theirs too: resuming one sends or drops them.
 */
export async function recordWebhookEvents(
  models: Models,
  events: readonly WebhookEventInput[],
): Promise<string[]> {
  if (events.length === 0) return [];
  const subscriptions = await models.WebhookSubscription.find(
    {},
    { eventTypes: 1, locality: 1, status: 1 },
  ).lean();
  if (subscriptions.length === 0) return [];
  const now = new Date();
  const wanted = events
    .map((e) => ({
      event: e,
      subscribers: subscriptions.filter((s) =>
        subscriptionWants(
          { eventTypes: s.eventTypes, locality: s.locality ?? null },
          e.type,
          e.localities,
        ),
      ),
    }))
    .filter((w) => w.subscribers.length > 0);
  if (wanted.length === 0) return [];
  // Events first: a delivery is never without the body it sends.
  await insertAllUnlessThere(
    models.WebhookEvent.collection,
    wanted.map(({ event: e }) => ({
      _id: e.id,
      type: e.type,
      subjectId: e.subjectId,
      localities: [...e.localities],
      body: e.body(),
      createdAt: now,
    })),
  );
  await insertAllUnlessThere(
    models.WebhookDelivery.collection,
    wanted.flatMap(({ event: e, subscribers }) =>
      subscribers.map((s) => ({
        _id: webhookId(e.id, s._id),
        subscriptionId: s._id,
        eventId: e.id,
        eventType: e.type,
        subjectId: e.subjectId,
        seq: e.seq,
        createdAt: now,
        status: 'pending',
        attempts: 0,
        log: [],
        deliveredAt: null,
        redeliveries: 0,
        redeliveredBy: null,
      })),
    ),
  );
  return [
    ...new Set(
      wanted.flatMap((w) => w.subscribers.filter((s) => s.status === 'active').map((s) => s._id)),
    ),
  ];
}
