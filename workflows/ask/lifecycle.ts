/**
 * Client-side helpers for askWorkflow: ids, start, actions, and Temporal's
 * errors turned into what the API means by them. Never imported by workflows.
 */
import type { Client } from '@temporalio/client';
import type { Actor } from '../../domain/barrier/types.ts';
import type { AskCommand } from '../../domain/ask/ask-machine.ts';
import { runAction } from '../lifecycle.ts';
import { askWorkflow } from './ask-workflow.ts';
import {
  ASK_ACTION_REJECTED,
  askActionUpdate,
  askReadyUpdate,
  askWorkflowId,
  type AskView,
  type AskWorkflowInput,
} from './definitions.ts';

export { askWorkflowId };

/** An action the ask's state does not allow now. */
export class AskActionRefused extends Error {
  override readonly name = 'AskActionRefused';
}

/** Starts the ask's workflow and waits until it is projected. */
export async function startAsk(
  client: Client,
  taskQueue: string,
  input: AskWorkflowInput,
): Promise<AskView> {
  const handle = await client.workflow.start(askWorkflow, {
    taskQueue,
    workflowId: askWorkflowId(input.id),
    args: [input],
  });
  return handle.executeUpdate(askReadyUpdate);
}

/**
 * Runs an action on an ask's workflow.
 * @throws {AskActionRefused} when the ask's state does not allow it now.
 */
export function actOnAsk(
  client: Client,
  askId: string,
  command: AskCommand,
  actor: Actor,
): Promise<AskView> {
  return runAction(
    () =>
      client.workflow
        .getHandle(askWorkflowId(askId))
        .executeUpdate(askActionUpdate, { args: [{ command, actor }] }),
    ASK_ACTION_REJECTED,
    (message) => new AskActionRefused(message),
    'this ask is finished: it has its outcome or was withdrawn',
  );
}
