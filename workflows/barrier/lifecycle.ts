/**
 * Client-side helpers for barrierWorkflow: deterministic ids, start, actions,
 * and Temporal's errors turned into what the API means by them.
 * Never imported by workflow code.
 */
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  type Client,
} from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { runAction } from '../lifecycle.ts';
import type { Actor, BarrierCommand } from '../../domain/barrier/types.ts';
import { barrierWorkflow } from './barrier-workflow.ts';
import {
  ACTION_REJECTED,
  awaitRoutedUpdate,
  barrierActionUpdate,
  barrierStateQuery,
  barrierWorkflowId,
  type BarrierView,
  type BarrierWorkflowInput,
} from './definitions.ts';

export { barrierWorkflowId };

/** An action the barrier's state does not allow now. */
export class BarrierActionRejected extends Error {
  override readonly name = 'BarrierActionRejected';
}

/** A new barrier id already has a workflow: the database and Temporal disagree. */
export class BarrierIdConflict extends Error {
  override readonly name = 'BarrierIdConflict';
}

/**
 * Starts the barrier's workflow and waits until it is routed. When the workflow
 * already exists that is only right for a retried request (`retry: true`);
 * for a newly allocated id it means the database's counter is behind Temporal,
 * and attaching to that workflow would hand the caller someone else's barrier.
 */
export async function startBarrier(
  client: Client,
  taskQueue: string,
  input: BarrierWorkflowInput,
  options: { retry?: boolean } = {},
): Promise<BarrierView> {
  const workflowId = barrierWorkflowId(input.id);
  // One call, and the routed update rides in the workflow's first task: a raise
  // costs one workflow task, not one to start and another for the update.
  const startWorkflowOperation = new WithStartWorkflowOperation(barrierWorkflow, {
    taskQueue,
    workflowId,
    args: [input],
    searchAttributes: {
      GtLocality: [input.details.locality],
      GtNeighbourhood: [input.details.neighbourhood],
      GtStage: ['neighbourhood'],
      GtStatus: ['open'],
    },
    // A retried request joins its barrier's workflow; a new id must not find one.
    workflowIdConflictPolicy: options.retry ? 'USE_EXISTING' : 'FAIL',
  });
  try {
    return await client.workflow.executeUpdateWithStart(awaitRoutedUpdate, {
      startWorkflowOperation,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new BarrierIdConflict(
        `a workflow ${workflowId} already exists for the new barrier ${input.id}: the database's barrier counter is behind Temporal (was the database reset?)`,
      );
    }
    throw err;
  }
}

/**
 * Runs an action on a barrier's workflow.
 * @throws {BarrierActionRejected} when the barrier's state does not allow it now.
 */
export function actOnBarrier(
  client: Client,
  barrierId: string,
  command: BarrierCommand,
  actor: Actor,
): Promise<BarrierView> {
  return runAction(
    () =>
      client.workflow
        .getHandle(barrierWorkflowId(barrierId))
        .executeUpdate(barrierActionUpdate, { args: [{ command, actor }] }),
    ACTION_REJECTED,
    (message) => new BarrierActionRejected(message),
    'this barrier is closed for good: its reopen window has passed',
  );
}

/**
 * A barrier's state, asked of its workflow. When the worker that held the
 * workflow has died and no worker has begun a poll of the task queue in the
 * last 20 s (they wait in long polls of up to a minute while it is quiet),
 * Temporal refuses a query with "no poller seen for task queue recently"
 * rather than wait; the live workers' next polls clear it, so that refusal
 * is asked again, for up to `patienceMs`.
 */
export async function queryBarrierState(
  client: Client,
  barrierId: string,
  patienceMs = 90_000,
): Promise<BarrierView> {
  const giveUpAt = Date.now() + patienceMs;
  for (;;) {
    try {
      return await client.workflow.getHandle(barrierWorkflowId(barrierId)).query(barrierStateQuery);
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      const noPoller = /no poller seen/i.test(String(cause instanceof Error ? cause.message : err));
      if (!noPoller || Date.now() > giveUpAt) throw err;
      await sleep(1_000);
    }
  }
}
