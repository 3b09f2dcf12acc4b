/**
 * Webhook activities: what the delivery workflow (workflows/webhooks/) does,
 * and the projection's side of the outbox (recording an event's deliveries
 * and waking the subscriptions that have something to send).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Webhook } from 'standardwebhooks';
import type { Models } from '../store/models.ts';
import { DEVELOPMENT_SECRET_KEY, decryptSecret } from '../store/webhook-secrets.ts';
import { recordWebhookEvents, type WebhookEventInput } from '../store/webhook-outbox.ts';
import { deliveryOrder } from '../domain/webhooks/order.ts';
import {
  DEFAULT_WEBHOOK_RETENTION_MS,
  DEFAULT_WEBHOOK_SETTINGS,
  LOGGED_RESPONSE_CHARS,
  shouldDisable,
  type WebhookSettings,
} from '../domain/webhooks/settings.ts';
import { SUBSCRIPTION_STOPPED } from '../workflows/webhooks/definitions.ts';
import { postWebhook } from './webhook-http.ts';
import type { DisabledSubscription } from './webhook-email.ts';

/** What configuration says about webhooks (config.ts `webhooks`). */
export interface WebhookConfig {
  settings: WebhookSettings;
  /** The key subscriptions' secrets are encrypted under (WEBHOOK_SECRET_KEY). */
  secretKey: Buffer;
  /** Plain http and loopback or private addresses allowed (development and tests only). */
  allowPrivate: boolean;
  /** Delivered and dropped deliveries, and events, are deleted after this long. */
  retentionMs: number;
}

/** What the worker gives the webhook activities at run time. */
export interface WebhookRuntime {
  /** Tells a subscription's workflow it has deliveries (signal-with-start). */
  wake?: (subscriptionId: string) => Promise<void>;
  /** Tells the admins a subscription was disabled; absent: nobody is told. */
  tellAdmins?: (subscription: DisabledSubscription) => Promise<void>;
  warn?: (message: string, meta: Record<string, unknown>) => void;
}

export type WebhookDeps = WebhookConfig &
  Required<Omit<WebhookRuntime, 'tellAdmins'>> &
  WebhookRuntime;

/** The webhook settings with defaults for what is not given. */
export function webhookDepsOf(
  config: Partial<WebhookConfig> | undefined,
  runtime: WebhookRuntime,
): WebhookDeps {
  return {
    settings: config?.settings ?? DEFAULT_WEBHOOK_SETTINGS,
    secretKey: config?.secretKey ?? DEVELOPMENT_SECRET_KEY,
    allowPrivate: config?.allowPrivate ?? false,
    retentionMs: config?.retentionMs ?? DEFAULT_WEBHOOK_RETENTION_MS,
    wake: runtime.wake ?? (() => Promise.resolve()),
    warn:
      runtime.warn ??
      ((message, meta) => console.warn(`[webhooks] ${message}`, JSON.stringify(meta))),
    tellAdmins: runtime.tellAdmins,
  };
}

/** How often an idle subscription's old deliveries are looked for. */
const PRUNE_EVERY_MS = 60 * 60_000;
/** How many pending deliveries a workflow takes at a time. */
const BATCH = 50;

const stopped = (status: string) =>
  ApplicationFailure.create({
    type: SUBSCRIPTION_STOPPED,
    message: `the subscription is ${status}`,
    nonRetryable: true,
    details: [{ status }],
  });

/**
 * Records the deliveries projected events call for and wakes the subscriptions
 * concerned, without waiting for them: the projection's caller (an action's
 * round trip) never waits on Temporal for a webhook. A wake-up lost to a crash
 * is made good by the workflow's own polling (WEBHOOK_POLL_SECONDS).
 */
export function createWebhookRecorder(models: Models, deps: Pick<WebhookDeps, 'wake' | 'warn'>) {
  return async (events: readonly WebhookEventInput[]): Promise<void> => {
    const woken = await recordWebhookEvents(models, events);
    for (const id of woken)
      deps.wake(id).catch((err: unknown) =>
        deps.warn('could not wake a webhook subscription', {
          subscriptionId: id,
          error: (err as Error).message,
        }),
      );
  };
}

export function createWebhookActivities(models: Models, deps: WebhookDeps) {
  const { WebhookSubscription, WebhookDelivery, WebhookEvent } = models;

  /** When this worker last pruned each subscription's log. */
  const pruned = new Map<string, number>();
  /** Deletes what the delivery log keeps no longer (at most hourly for each subscription). */
  async function prune(subscriptionId: string): Promise<void> {
    if (Date.now() - (pruned.get(subscriptionId) ?? 0) < PRUNE_EVERY_MS) return;
    pruned.set(subscriptionId, Date.now());
    const before = new Date(Date.now() - deps.retentionMs);
    await WebhookDelivery.deleteMany({
      subscriptionId,
      status: { $in: ['delivered', 'dropped'] },
      createdAt: { $lt: before },
    });
    await WebhookEvent.deleteMany({ createdAt: { $lt: before } });
  }

  return {
    /** The worker's webhook settings, read once by each delivery workflow. */
    webhookSettings(): Promise<WebhookSettings> {
      return Promise.resolve(deps.settings);
    },

    /** The subscription's state and its next pending deliveries, in the order they go. */
    async nextWebhookDeliveries(input: {
      subscriptionId: string;
    }): Promise<{ status: 'active' | 'paused' | 'disabled' | 'deleted'; deliveries: string[] }> {
      const sub = await WebhookSubscription.findById(input.subscriptionId, { status: 1 }).lean();
      if (!sub) return { status: 'deleted', deliveries: [] };
      const status = sub.status as 'active' | 'paused' | 'disabled';
      if (status !== 'active') return { status, deliveries: [] };
      const rows = await WebhookDelivery.find(
        { subscriptionId: input.subscriptionId, status: 'pending' },
        { subjectId: 1, seq: 1, createdAt: 1 },
      )
        .sort({ createdAt: 1 })
        .limit(BATCH)
        .lean();
      if (rows.length === 0) await prune(input.subscriptionId);
      return { status, deliveries: deliveryOrder(rows).map((r) => r._id) };
    },

    /**
     * One attempt at one delivery: counted before it is sent (so an attempt a
     * crash cut short still shows in the log), signed afresh with every
     * secret in force, and its outcome logged. Throws to be retried; a
     * subscription no longer active, or just disabled by this failure, ends
     * the retries.
     */
    async deliverWebhook(input: {
      deliveryId: string;
      settings: WebhookSettings;
    }): Promise<'delivered' | 'skipped'> {
      const { settings } = input;
      const delivery = await WebhookDelivery.findById(input.deliveryId).lean();
      if (!delivery || delivery.status !== 'pending') return 'skipped';
      const sub = await WebhookSubscription.findById(delivery.subscriptionId).lean();
      if (!sub) throw stopped('deleted');
      if (sub.status !== 'active') throw stopped(sub.status);
      const event = await WebhookEvent.findById(delivery.eventId).lean();
      if (!event) {
        await WebhookDelivery.updateOne({ _id: delivery._id }, { $set: { status: 'dropped' } });
        return 'skipped';
      }
      const now = new Date();
      const secrets = sub.secrets
        .filter((s) => !s.expiresAt || s.expiresAt > now)
        .map((s) => decryptSecret(deps.secretKey, s.encrypted));
      await WebhookDelivery.updateOne({ _id: delivery._id }, { $inc: { attempts: 1 } });
      const signature = secrets
        .map((secret) => new Webhook(secret).sign(delivery._id, now, event.body))
        .join(' ');
      const result = await postWebhook({
        url: sub.url,
        headers: {
          'webhook-id': delivery._id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: event.body,
        timeoutMs: settings.attemptTimeoutMs,
        allowPrivate: deps.allowPrivate,
      });
      const entry = {
        at: now,
        status: result.status,
        durationMs: result.durationMs,
        error: result.error,
        response: result.response?.slice(0, LOGGED_RESPONSE_CHARS) ?? null,
      };
      const ok = result.error === null;
      await WebhookDelivery.updateOne(
        { _id: delivery._id },
        {
          $push: { log: entry },
          ...(ok ? { $set: { status: 'delivered', deliveredAt: new Date() } } : {}),
        },
      );
      if (ok) {
        if (sub.failures || sub.failingSince)
          await WebhookSubscription.updateOne(
            { _id: sub._id },
            { $set: { failures: 0, failingSince: null, lastDeliveredAt: new Date() } },
          );
        return 'delivered';
      }
      // One workflow delivers for a subscription, one attempt at a time: read, then write.
      const failures = (sub.failures ?? 0) + 1;
      const failingSince = sub.failingSince ?? now;
      const disable = shouldDisable(settings, failures, failingSince.getTime(), now.getTime());
      const reason = `${failures} attempts failed in a row; the last: ${result.error}`;
      await WebhookSubscription.updateOne(
        { _id: sub._id, status: 'active' },
        {
          $set: {
            failures,
            failingSince,
            ...(disable
              ? { status: 'disabled', statusReason: reason, statusChangedAt: new Date() }
              : {}),
          },
        },
      );
      if (disable) throw stopped('disabled');
      let attempt = 1;
      try {
        attempt = Context.current().info.attempt;
      } catch {
        // Outside an activity (a test): the count above is enough.
      }
      throw ApplicationFailure.retryable(
        `delivery ${delivery._id} to ${sub._id}, attempt ${attempt}: ${result.error}`,
        'WebhookDeliveryFailed',
      );
    },

    /** Tells the admins a subscription was disabled (once: the caller runs after the disabling attempt). */
    async webhookSubscriptionDisabled(input: { subscriptionId: string }): Promise<void> {
      const sub = await WebhookSubscription.findById(input.subscriptionId).lean();
      if (!sub || sub.status !== 'disabled' || !deps.tellAdmins) return;
      await deps.tellAdmins({
        id: sub._id,
        name: sub.name,
        url: sub.url,
        reason: sub.statusReason ?? 'it kept failing',
        disabledAt: sub.statusChangedAt ?? new Date(0),
      });
    },
  };
}
