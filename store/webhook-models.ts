/**
 * Webhook subscriptions, the events they are told of and each delivery of an
 * event to a subscriber (the outbox the delivery workflow works through; see
 * activities/webhooks.ts).
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const secretSchema = new Schema(
  {
    /** A short id, so the page can say which secret is which. */
    id: { type: String, required: true },
    /** AES-256-GCM under WEBHOOK_SECRET_KEY (store/webhook-secrets.ts): signing needs it back. */
    encrypted: { type: String, required: true },
    createdAt: { type: Date, required: true },
    /** A rotated-out secret keeps signing until then; null: the current one. */
    expiresAt: { type: Date, default: null },
  },
  { _id: false },
);

const subscriptionSchema = new Schema(
  {
    /** `WH-` and eight hex digits. */
    _id: { type: String, required: true },
    name: { type: String, required: true },
    url: { type: String, required: true },
    eventTypes: { type: [String], required: true },
    locality: { type: String, default: null },
    /** `active`, `paused` (by an admin) or `disabled` (after a run of failures). */
    status: { type: String, required: true },
    /** Why it is paused or disabled, in words. */
    statusReason: { type: String, default: null },
    statusChangedAt: { type: Date, default: null },
    secrets: { type: [secretSchema], required: true },
    /** Failed attempts in a row, and when the run began. */
    failures: { type: Number, default: 0 },
    failingSince: { type: Date, default: null },
    lastDeliveredAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'webhook_subscriptions', versionKey: false, minimize: false },
);

/** An event as subscribers receive it: the exact body, signed afresh on each attempt. */
const webhookEventSchema = new Schema(
  {
    /** `<barrier or ask id>:<seq>`, or `<ask id>:published:<n>`: a retried projection finds it. */
    _id: { type: String, required: true },
    type: { type: String, required: true },
    subjectId: { type: String, required: true },
    /** Localities of the subject, for subscriptions filtered by one. */
    localities: { type: [String], default: [] },
    body: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'webhook_events', versionKey: false },
);
webhookEventSchema.index({ createdAt: 1 });

const attemptSchema = new Schema(
  {
    at: { type: Date, required: true },
    /** The response's status; null when none came (refused, timed out). */
    status: { type: Number, default: null },
    durationMs: { type: Number, required: true },
    error: { type: String, default: null },
    /** A trimmed start of the response body. */
    response: { type: String, default: null },
  },
  { _id: false },
);

/** One event for one subscriber: its `_id` is the `webhook-id` every attempt carries. */
const deliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    subscriptionId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    subjectId: { type: String, required: true },
    /** The event's place in its subject's timeline: deliveries of one subject go in this order. */
    seq: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    /** `pending`, `delivered`, or `dropped` (an admin chose not to send what a paused or disabled subscription missed). */
    status: { type: String, required: true },
    /** Attempts begun, counted before each is sent: one a crash cut short is counted too. */
    attempts: { type: Number, default: 0 },
    /** The most recent attempts, newest last. */
    log: { type: [attemptSchema], default: [] },
    deliveredAt: { type: Date, default: null },
    /** Sent again at an admin's request: by whom, how often. */
    redeliveries: { type: Number, default: 0 },
    redeliveredBy: { type: String, default: null },
  },
  { collection: 'webhook_deliveries', versionKey: false, minimize: false },
);
deliverySchema.index({ subscriptionId: 1, createdAt: -1 });

export type WebhookSubscriptionDoc = InferSchemaType<typeof subscriptionSchema>;
export type WebhookEventDoc = InferSchemaType<typeof webhookEventSchema>;
export type WebhookDeliveryDoc = InferSchemaType<typeof deliverySchema>;
export type WebhookAttempt = InferSchemaType<typeof attemptSchema>;

export function createWebhookModels(conn: Connection) {
  return {
    WebhookSubscription: conn.model(
      'WebhookSubscription',
      subscriptionSchema,
    ) as Model<WebhookSubscriptionDoc>,
    WebhookEvent: conn.model('WebhookEvent', webhookEventSchema) as Model<WebhookEventDoc>,
    WebhookDelivery: conn.model('WebhookDelivery', deliverySchema) as Model<WebhookDeliveryDoc>,
  };
}
