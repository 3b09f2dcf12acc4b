/** Client-side: waking (starting, if need be) a subscription's delivery workflow. Never imported by workflow code. */
import type { Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { webhookSubscriptionWorkflow } from './webhook-workflow.ts';
import { webhookWakeSignal, webhookWorkflowId } from './definitions.ts';

/**
 * Signals the subscription's workflow that it may have deliveries, starting it
 * when it is not running (a new subscription, or one whose workflow ended).
 */
export async function wakeWebhookSubscription(
  client: Client,
  taskQueue: string,
  subscriptionId: string,
): Promise<void> {
  await client.workflow.signalWithStart(webhookSubscriptionWorkflow, {
    workflowId: webhookWorkflowId(subscriptionId),
    taskQueue,
    args: [{ subscriptionId }],
    signal: webhookWakeSignal,
    signalArgs: [],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
}
