/**
 * webhookSubscriptionWorkflow: one per subscription, delivering its pending
 * deliveries one at a time, oldest first, each barrier's events in order.
 * Each delivery is one activity whose attempts Temporal retries with
 * exponential back-off (WEBHOOK_RETRY_*), each attempt under its own
 * timeout; a failing endpoint holds up only its own subscription. When the
 * subscription is paused, disabled or deleted the attempt stops and the
 * workflow waits to be woken (a resume, a new event) or, deleted, ends.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/types.ts';
import { STORE_ACTIVITY } from '../activity-options.ts';
import {
  SUBSCRIPTION_STOPPED,
  webhookWakeSignal,
  type WebhookWorkflowInput,
} from './definitions.ts';

const { webhookSettings, nextWebhookDeliveries, webhookSubscriptionDisabled } =
  proxyActivities<Activities>(STORE_ACTIVITY);

/** Continue as new well before Temporal's history limits. */
const MAX_HISTORY_EVENTS = 2_000;

const stoppedBy = (err: unknown): string | null =>
  err instanceof ActivityFailure &&
  err.cause instanceof ApplicationFailure &&
  err.cause.type === SUBSCRIPTION_STOPPED
    ? String((err.cause.details?.[0] as { status?: string } | undefined)?.status ?? 'stopped')
    : null;

export async function webhookSubscriptionWorkflow(input: WebhookWorkflowInput): Promise<void> {
  const { subscriptionId } = input;
  let woken = false;
  setHandler(webhookWakeSignal, () => {
    woken = true;
  });
  const settings = input.settings ?? (await webhookSettings());
  const { deliverWebhook } = proxyActivities<Activities>({
    // The attempt's own deadline is inside the activity; this is the backstop.
    startToCloseTimeout: settings.attemptTimeoutMs + 10_000,
    retry: {
      initialInterval: settings.retryFirstMs,
      backoffCoefficient: 2,
      maximumInterval: settings.retryMaxMs,
      nonRetryableErrorTypes: [SUBSCRIPTION_STOPPED],
    },
  });
  for (;;) {
    woken = false;
    const next = await nextWebhookDeliveries({ subscriptionId });
    if (next.status === 'deleted') return;
    let sent = 0;
    for (const deliveryId of next.deliveries) {
      try {
        await deliverWebhook({ deliveryId, settings });
        sent++;
      } catch (err) {
        const stopped = stoppedBy(err);
        if (stopped === null) throw err;
        if (stopped === 'disabled') await webhookSubscriptionDisabled({ subscriptionId });
        break;
      }
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS) {
      await continueAsNew<typeof webhookSubscriptionWorkflow>({ subscriptionId, settings });
    }
    // A full batch sent: look for more at once; otherwise wait to be woken (or poll).
    if (sent > 0 && sent === next.deliveries.length) continue;
    await condition(() => woken, settings.pollMs);
  }
}
