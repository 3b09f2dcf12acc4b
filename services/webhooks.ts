/**
 * Webhook subscriptions (admins): add, change, pause, resume, delete, rotate
 * the secret, read the delivery log and redeliver one event. Every change is
 * audited; a secret is returned once, when made, and never stored or logged
 * in the clear (store/webhook-secrets.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../domain/barrier/types.ts';
import type { NewWebhook, WebhookChange } from '../domain/webhooks/schemas.ts';
import { DEFAULT_SECRET_OVERLAP_MS } from '../domain/webhooks/settings.ts';
import { webhookUrlProblem } from '../domain/webhooks/url.ts';
import type { WebhookDeliveryDoc, WebhookSubscriptionDoc } from '../store/webhook-models.ts';
import {
  DEVELOPMENT_SECRET_KEY,
  encryptSecret,
  newWebhookSecret,
} from '../store/webhook-secrets.ts';
import { wakeWebhookSubscription } from '../workflows/webhooks/lifecycle.ts';
import { recordWebhookEvents } from '../store/webhook-outbox.ts';
import { askForWebhook, webhookBody, type AskSource } from '../domain/webhooks/payload.ts';
import { requireAdmin } from './access.ts';
import { recordAudit, type Via } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { NotFound, Rejected, invalidField } from './errors.ts';

type Deps = Pick<
  ServiceDeps,
  'models' | 'client' | 'taskQueue' | 'webhooks' | 'logger' | 'publicBaseUrl'
>;

/** What the services take from configuration about webhooks. */
export interface WebhookServiceConfig {
  secretKey: Buffer;
  /** Plain http and loopback or private addresses allowed (development and tests). */
  allowPrivate: boolean;
  /** How long a rotated-out secret keeps signing. */
  secretOverlapMs: number;
}

const configOf = (deps: Deps): WebhookServiceConfig => ({
  secretKey: deps.webhooks?.secretKey ?? DEVELOPMENT_SECRET_KEY,
  allowPrivate: deps.webhooks?.allowPrivate ?? false,
  secretOverlapMs: deps.webhooks?.secretOverlapMs ?? DEFAULT_SECRET_OVERLAP_MS,
});

const admin = (actor: Actor) => requireAdmin(actor, 'manage webhooks');

type StoredSubscription = WebhookSubscriptionDoc & { _id: string };

/** A subscription as the API and the pages show it: never a secret. */
export function webhookView(s: StoredSubscription) {
  return {
    id: s._id,
    name: s.name,
    url: s.url,
    eventTypes: [...s.eventTypes],
    locality: s.locality ?? null,
    status: s.status as 'active' | 'paused' | 'disabled',
    statusReason: s.statusReason ?? null,
    statusChangedAt: s.statusChangedAt?.toISOString() ?? null,
    secrets: s.secrets.map((k) => ({
      id: k.id,
      createdAt: k.createdAt.toISOString(),
      expiresAt: k.expiresAt?.toISOString() ?? null,
    })),
    failures: s.failures ?? 0,
    failingSince: s.failingSince?.toISOString() ?? null,
    lastDeliveredAt: s.lastDeliveredAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    createdBy: s.createdBy,
    updatedAt: s.updatedAt.toISOString(),
  };
}
export type WebhookView = ReturnType<typeof webhookView>;

/** One delivery in the log. */
export function deliveryView(d: WebhookDeliveryDoc & { _id: string }) {
  return {
    id: d._id,
    eventId: d.eventId,
    eventType: d.eventType,
    subjectId: d.subjectId,
    seq: d.seq,
    createdAt: d.createdAt.toISOString(),
    status: d.status as 'pending' | 'delivered' | 'dropped',
    attempts: d.attempts ?? 0,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    redeliveries: d.redeliveries ?? 0,
    log: (d.log ?? []).map((a) => ({
      at: a.at.toISOString(),
      status: a.status ?? null,
      durationMs: a.durationMs,
      error: a.error ?? null,
      response: a.response ?? null,
    })),
  };
}
export type DeliveryView = ReturnType<typeof deliveryView>;

/** What the audit log keeps of a subscription: everything but its secrets. */
const audited = (s: StoredSubscription) => {
  const { secrets, ...rest } = webhookView(s);
  return { ...rest, secretIds: secrets.map((k) => k.id) };
};

async function load(deps: Deps, id: string): Promise<StoredSubscription> {
  const s = await deps.models.WebhookSubscription.findById(id).lean();
  if (!s) throw new NotFound(`There is no webhook subscription ${id}.`);
  return s;
}

function checkUrl(deps: Deps, url: string): void {
  const problem = webhookUrlProblem(url, configOf(deps).allowPrivate);
  if (problem) throw invalidField(`The URL ${problem}.`, 'body.url', problem);
}

/** Wakes the subscription's delivery workflow; a failure is logged, not thrown (it also polls). */
async function wake(deps: Deps, id: string): Promise<void> {
  try {
    await wakeWebhookSubscription(deps.client, deps.taskQueue, id);
  } catch (err) {
    deps.logger.warn(`could not wake webhook subscription ${id}: ${(err as Error).message}`);
  }
}

const newSecretEntry = (deps: Deps, secret: string, now: Date) => ({
  id: randomBytes(4).toString('hex'),
  encrypted: encryptSecret(configOf(deps).secretKey, secret),
  createdAt: now,
  expiresAt: null,
});

export async function listWebhooks(deps: Deps, actor: Actor): Promise<WebhookView[]> {
  admin(actor);
  const subs = await deps.models.WebhookSubscription.find({}).sort({ createdAt: 1 }).lean();
  return subs.map((s) => webhookView(s as StoredSubscription));
}

export async function getWebhook(deps: Deps, actor: Actor, id: string): Promise<WebhookView> {
  admin(actor);
  return webhookView(await load(deps, id));
}

/** Adds a subscription and starts its delivery workflow; the secret is in the answer and nowhere else. */
export async function createWebhook(
  deps: Deps,
  actor: Actor,
  via: Via,
  input: NewWebhook,
): Promise<{ webhook: WebhookView; secret: string }> {
  admin(actor);
  checkUrl(deps, input.url);
  const now = new Date();
  const secret = newWebhookSecret();
  const doc = {
    _id: `WH-${randomBytes(4).toString('hex').toUpperCase()}`,
    name: input.name,
    url: input.url,
    eventTypes: input.eventTypes,
    locality: input.locality ?? null,
    status: 'active',
    statusReason: null,
    statusChangedAt: now,
    secrets: [newSecretEntry(deps, secret, now)],
    failures: 0,
    failingSince: null,
    lastDeliveredAt: null,
    createdAt: now,
    createdBy: actor.email,
    updatedAt: now,
  };
  await deps.models.WebhookSubscription.collection.insertOne(doc as never);
  const stored = doc as unknown as StoredSubscription;
  await recordAudit(deps, actor, via, {
    action: 'webhook.created',
    target: `webhook:${doc._id}`,
    after: audited(stored),
  });
  await wake(deps, doc._id);
  return { webhook: webhookView(stored), secret };
}

export async function changeWebhook(
  deps: Deps,
  actor: Actor,
  via: Via,
  id: string,
  change: WebhookChange,
): Promise<WebhookView> {
  admin(actor);
  const before = await load(deps, id);
  if (change.url !== undefined) checkUrl(deps, change.url);
  const set = { ...change, updatedAt: new Date() };
  await deps.models.WebhookSubscription.updateOne({ _id: id }, { $set: set });
  const after = await load(deps, id);
  await recordAudit(deps, actor, via, {
    action: 'webhook.changed',
    target: `webhook:${id}`,
    before: audited(before),
    after: audited(after),
  });
  return webhookView(after);
}

/** Deletes a subscription and its delivery log; its workflow ends when it next looks. */
export async function deleteWebhook(deps: Deps, actor: Actor, via: Via, id: string) {
  admin(actor);
  const before = await load(deps, id);
  await deps.models.WebhookSubscription.deleteOne({ _id: id });
  await deps.models.WebhookDelivery.deleteMany({ subscriptionId: id });
  await recordAudit(deps, actor, via, {
    action: 'webhook.deleted',
    target: `webhook:${id}`,
    before: audited(before),
  });
  await wake(deps, id);
}

/** Holds deliveries: events are still recorded, and resuming sends or drops them. */
export async function pauseWebhook(
  deps: Deps,
  actor: Actor,
  via: Via,
  id: string,
  reason?: string,
): Promise<WebhookView> {
  admin(actor);
  const before = await load(deps, id);
  if (before.status === 'paused') return webhookView(before);
  const now = new Date();
  await deps.models.WebhookSubscription.updateOne(
    { _id: id },
    {
      $set: {
        status: 'paused',
        statusReason: reason ? `Paused by ${actor.email}: ${reason}` : `Paused by ${actor.email}`,
        statusChangedAt: now,
        updatedAt: now,
      },
    },
  );
  const after = await load(deps, id);
  await recordAudit(deps, actor, via, {
    action: 'webhook.paused',
    target: `webhook:${id}`,
    before: audited(before),
    after: audited(after),
  });
  return webhookView(after);
}

/**
 * Resumes a paused or disabled subscription: the events it missed are sent
 * in order (`deliver`) or dropped, and its run of failures starts again.
 */
export async function resumeWebhook(
  deps: Deps,
  actor: Actor,
  via: Via,
  id: string,
  missed: 'deliver' | 'drop',
): Promise<WebhookView> {
  admin(actor);
  const before = await load(deps, id);
  if (before.status === 'active') throw new Rejected(`Webhook ${id} is already active.`);
  const now = new Date();
  let dropped = 0;
  if (missed === 'drop') {
    const res = await deps.models.WebhookDelivery.updateMany(
      { subscriptionId: id, status: 'pending' },
      { $set: { status: 'dropped' } },
    );
    dropped = res.modifiedCount;
  }
  await deps.models.WebhookSubscription.updateOne(
    { _id: id },
    {
      $set: {
        status: 'active',
        statusReason: null,
        statusChangedAt: now,
        failures: 0,
        failingSince: null,
        updatedAt: now,
      },
    },
  );
  const after = await load(deps, id);
  await recordAudit(deps, actor, via, {
    action: 'webhook.resumed',
    target: `webhook:${id}`,
    before: audited(before),
    after: { ...audited(after), missed, dropped },
  });
  await wake(deps, id);
  return webhookView(after);
}

/**
 * A new signing secret, returned once. The old ones keep signing (each
 * delivery then carries a signature by each) until the overlap ends, so a
 * receiver can switch without losing a delivery.
 */
export async function rotateWebhookSecret(
  deps: Deps,
  actor: Actor,
  via: Via,
  id: string,
): Promise<{ webhook: WebhookView; secret: string }> {
  admin(actor);
  const before = await load(deps, id);
  const now = new Date();
  const until = new Date(now.getTime() + configOf(deps).secretOverlapMs);
  const secret = newWebhookSecret();
  const kept = before.secrets
    .filter((k) => !k.expiresAt || k.expiresAt > now)
    .map((k) => ({ ...k, expiresAt: k.expiresAt && k.expiresAt < until ? k.expiresAt : until }));
  await deps.models.WebhookSubscription.updateOne(
    { _id: id },
    { $set: { secrets: [newSecretEntry(deps, secret, now), ...kept], updatedAt: now } },
  );
  const after = await load(deps, id);
  await recordAudit(deps, actor, via, {
    action: 'webhook.secret-rotated',
    target: `webhook:${id}`,
    before: audited(before),
    after: audited(after),
  });
  return { webhook: webhookView(after), secret };
}

/** The subscription's deliveries, newest first. */
export async function webhookDeliveries(
  deps: Deps,
  actor: Actor,
  id: string,
  query: { limit?: number; status?: 'pending' | 'delivered' | 'dropped' } = {},
): Promise<DeliveryView[]> {
  admin(actor);
  await load(deps, id);
  const rows = await deps.models.WebhookDelivery.find({
    subscriptionId: id,
    ...(query.status ? { status: query.status } : {}),
  })
    .sort({ createdAt: -1, seq: -1 })
    .limit(query.limit ?? 25)
    .lean();
  return rows.map((d) => deliveryView(d as WebhookDeliveryDoc & { _id: string }));
}

/** Sends one event again, with the same webhook-id; logged on the delivery and in the audit log. */
export async function redeliverWebhook(
  deps: Deps,
  actor: Actor,
  via: Via,
  id: string,
  deliveryId: string,
): Promise<DeliveryView> {
  admin(actor);
  await load(deps, id);
  const d = await deps.models.WebhookDelivery.findOne({
    _id: deliveryId,
    subscriptionId: id,
  }).lean();
  if (!d) throw new NotFound(`Webhook ${id} has no delivery ${deliveryId}.`);
  if (!(await deps.models.WebhookEvent.exists({ _id: d.eventId })))
    throw new Rejected(`The event of delivery ${deliveryId} is older than the delivery log keeps.`);
  await deps.models.WebhookDelivery.updateOne(
    { _id: deliveryId },
    { $set: { status: 'pending', redeliveredBy: actor.email }, $inc: { redeliveries: 1 } },
  );
  await recordAudit(deps, actor, via, {
    action: 'webhook.redelivered',
    target: `webhook:${id}`,
    after: { delivery: deliveryId, eventId: d.eventId, eventType: d.eventType },
  });
  await wake(deps, id);
  const after = await deps.models.WebhookDelivery.findById(deliveryId).lean();
  return deliveryView(after as WebhookDeliveryDoc & { _id: string });
}

/**
 * Records `ask.published` for the subscriptions that want it, after a
 * publication (or its update) is written: publishing is a record beside the
 * ask, not a step of its workflow, so it is recorded here rather than by the
 * projection. The event is keyed by the publication's number, so a retried
 * publish records it once; a crash between the publication and this records
 * nothing for it (the register's Atom feed still has it).
 */
export async function recordAskPublished(
  deps: Deps,
  ask: AskSource & { lastSeq: number; evidence?: { localities?: string[] } | null },
  publication: { number: number; at: Date; by: string; type: 'published' | 'updated' },
): Promise<void> {
  const base = deps.publicBaseUrl ?? 'http://localhost:3000';
  const woken = await recordWebhookEvents(deps.models, [
    {
      id: `${ask._id}:published:${publication.number}`,
      type: 'ask.published',
      subjectId: ask._id,
      seq: Math.max(1, ask.lastSeq),
      localities: ask.evidence?.localities ?? [],
      body: () =>
        webhookBody(
          'ask.published',
          {
            seq: ask.lastSeq,
            at: publication.at.getTime(),
            kind: publication.type === 'updated' ? 'publication-updated' : 'published',
            actor: publication.by,
            details: { register: `${base}/open/asks/${ask._id}` },
          },
          { ask: askForWebhook(ask) },
          `${base}/asks/${ask._id}`,
        ),
    },
  ]);
  for (const id of woken) await wake(deps, id);
}
