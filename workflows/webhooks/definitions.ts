/** The webhook delivery workflow's messages, id and input. */
import { defineSignal } from '@temporalio/workflow';
import type { WebhookSettings } from '../../domain/webhooks/settings.ts';

/** There may be deliveries to send (a new event, a resume, a redelivery). */
export const webhookWakeSignal = defineSignal('webhookWake');

/** One workflow per subscription: its deliveries go one at a time, in order. */
export const webhookWorkflowId = (subscriptionId: string) => `webhooks-${subscriptionId}`;

export interface WebhookWorkflowInput {
  subscriptionId: string;
  /** Carried over when continuing as new; otherwise read from the worker's configuration. */
  settings?: WebhookSettings;
}

/** The error type an attempt ends with when its subscription is no longer active. */
export const SUBSCRIPTION_STOPPED = 'WebhookSubscriptionStopped';
