/** Starting barrier workflows directly on a Temporal client, for workflow-level tests. */
import type { Client } from '@temporalio/client';
import type { RaiseBarrier } from '../../domain/barrier/schemas.ts';
import type { Policy } from '../../domain/policy/policy.ts';
import { barrierWorkflow } from '../../workflows/barrier/barrier-workflow.ts';
import { awaitRoutedUpdate } from '../../workflows/barrier/definitions.ts';
import { barrierWorkflowId } from '../../workflows/barrier/definitions.ts';

let counter = 0;

/** A fresh test barrier id with a prefix (ids stay unique across files on shared servers). */
export const testBarrierId = (prefix: string) => `GT-${prefix}${Date.now()}${counter++}`;

/** Starts a barrier in Leigh, Wigan (unless `details` say otherwise) and waits until it is routed. */
export async function startRoutedBarrier(
  client: Client,
  taskQueue: string,
  options: { id: string; policy: Policy; raisedBy: string; details?: Partial<RaiseBarrier> },
) {
  const handle = await client.workflow.start(barrierWorkflow, {
    taskQueue,
    workflowId: barrierWorkflowId(options.id),
    args: [
      {
        version: 1,
        id: options.id,
        reference: options.id,
        raisedBy: options.raisedBy,
        policy: options.policy,
        details: {
          title: 'Shared care records blocked by a data-sharing agreement',
          description: 'GPs cannot see social care notes.',
          locality: 'wigan',
          neighbourhood: 'leigh',
          category: 'data-sharing',
          evidence: [],
          ...options.details,
        },
      },
    ],
  });
  const view = await handle.executeUpdate(awaitRoutedUpdate);
  return { handle, view };
}
