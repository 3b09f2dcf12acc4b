/**
 * Client-side, shared by the lifecycle.ts beside each workflow: runs an Update, turning a refusal by the
 * workflow's rules (and a workflow that has ended) into the caller's error.
 * Never imported by workflow code.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

export async function runAction<T>(
  update: () => Promise<T>,
  rejectedType: string,
  refused: (message: string) => Error,
  endedMessage: string,
): Promise<T> {
  try {
    return await update();
  } catch (err) {
    if (
      err instanceof WorkflowUpdateFailedError &&
      err.cause instanceof ApplicationFailure &&
      err.cause.type === rejectedType
    ) {
      throw refused(err.cause.message);
    }
    if (workflowHasEnded(err)) throw refused(endedMessage);
    throw err;
  }
}

/** True when a call failed because the workflow has ended (or never was). */
export function workflowHasEnded(err: unknown): boolean {
  return (
    err instanceof WorkflowNotFoundError ||
    /workflow execution already completed/i.test((err as Error).message)
  );
}
