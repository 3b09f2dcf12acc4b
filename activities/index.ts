/**
 * createActivities(deps): every activity the worker registers, built from
 * injected dependencies so tests pass real (or test) ones.
 */
import type { Client } from '@temporalio/client';
import type { Models } from '../store/models.ts';
import type { EmailTransport } from '../notify/transport.ts';
import { createImportActivities } from './imports.ts';
import { createPolicyMoveActivities } from './policy-moves.ts';
import { createNotificationActivities, type BarrierMailer } from './notifications.ts';
import { createProjectionActivities, type QueueEmails } from './projection.ts';
import { createRoutingActivities } from './routing.ts';
import {
  createWebhookActivities,
  createWebhookRecorder,
  webhookDepsOf,
  type WebhookConfig,
  type WebhookRuntime,
} from './webhooks.ts';

export interface ActivityDeps {
  models: Models;
  email: {
    transport: EmailTransport;
    /** Links in emails start with this. */
    publicBaseUrl: string;
    claimLeaseMs?: number;
    /** How long a person's barrier emails wait to go as one (0 or unset: each at once). */
    emailWindowMs?: number;
  };
  /** The worker's Temporal client, for activities that act on other workflows (policy moves). */
  client?: Client;
  /** Webhook signing and delivery settings (WEBHOOK_*); absent: the defaults, https only. */
  webhooks?: Partial<WebhookConfig>;
}

/**
 * @param emails.outbox where projections queue barrier emails: the worker's
 * outbox (worker/email-outbox.ts), which sends them as soon as they are queued.
 * @param emails.send the barrier mailer that outbox sends with, which the
 * notifyBarrier activity (histories from before the outbox) shares.
 */
export function createActivities(
  deps: ActivityDeps,
  emails: {
    outbox: { queue: QueueEmails; heldFor?: (to: string, at: number) => void };
    send: BarrierMailer;
  },
  webhooks: WebhookRuntime = {},
) {
  const webhookDeps = webhookDepsOf(deps.webhooks, webhooks);
  return {
    ...createRoutingActivities(deps.models),
    ...createProjectionActivities(deps.models, emails.outbox.queue, {
      record: createWebhookRecorder(deps.models, webhookDeps),
      publicBaseUrl: deps.email.publicBaseUrl,
    }),
    ...createWebhookActivities(deps.models, webhookDeps),
    ...createImportActivities(deps.models),
    ...createPolicyMoveActivities(deps.models, deps.client),
    ...createNotificationActivities(
      { models: deps.models, ...deps.email },
      emails.send,
      emails.outbox.heldFor,
    ),
  };
}
