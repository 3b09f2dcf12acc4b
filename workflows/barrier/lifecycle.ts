/**
 * Client-side helpers for barrierWorkflow: deterministic ids, start, actions,
 * and Temporal's errors turned into what the API means by them.
 * Never imported by workflow code.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Actor, BarrierCommand } from '../../domain/barrier/barrier-machine.ts';
import { barrierWorkflow } from './barrier-workflow.ts';
import {
  ACTION_REJECTED,
  awaitRoutedUpdate,
  barrierActionUpdate,
  type BarrierView,
  type BarrierWorkflowInput,
} from './definitions.ts';

/** The workflow id of a barrier. */
export const barrierWorkflowId = (barrierId: string) => `barrier-${barrierId}`;

/** An action the barrier's state does not allow now. */
export class BarrierActionRejected extends Error {
  override readonly name = 'BarrierActionRejected';
}

/** Starts the barrier's workflow (a no-op when it already runs) and waits until it is routed. */
export async function startBarrier(
  client: Client,
  taskQueue: string,
  input: BarrierWorkflowInput,
): Promise<BarrierView> {
  const workflowId = barrierWorkflowId(input.id);
  try {
    await client.workflow.start(barrierWorkflow, {
      taskQueue,
      workflowId,
      args: [input],
      searchAttributes: {
        GtLocality: [input.details.locality],
        GtNeighbourhood: [input.details.neighbourhood],
        GtStage: ['neighbourhood'],
        GtStatus: ['open'],
      },
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return client.workflow.getHandle(workflowId).executeUpdate(awaitRoutedUpdate);
}

/**
 * Runs an action on a barrier's workflow.
 * @throws {BarrierActionRejected} when the barrier's state does not allow it now.
 */
export async function actOnBarrier(
  client: Client,
  barrierId: string,
  command: BarrierCommand,
  actor: Actor,
): Promise<BarrierView> {
  try {
    return await client.workflow
      .getHandle(barrierWorkflowId(barrierId))
      .executeUpdate(barrierActionUpdate, { args: [{ command, actor }] });
  } catch (err) {
    if (
      err instanceof WorkflowUpdateFailedError &&
      err.cause instanceof ApplicationFailure &&
      err.cause.type === ACTION_REJECTED
    ) {
      throw new BarrierActionRejected(err.cause.message);
    }
    if (
      err instanceof WorkflowNotFoundError ||
      /workflow execution already completed/i.test((err as Error).message)
    ) {
      throw new BarrierActionRejected(
        'this barrier is closed for good: its reopen window has passed',
      );
    }
    throw err;
  }
}
