/** The ask workflow's messages and input, shared by the workflow, the API and tests. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/barrier/types.ts';
import type { AskCommand, AskState, NewAskInput } from '../../domain/ask/ask-machine.ts';

/** The workflow id of an ask: the one place it is spelled. */
export const askWorkflowId = (askId: string) => `ask-${askId}`;

/** Version 1 of the ask workflow's input. New fields arrive as a V2. */
export interface AskWorkflowInputV1 extends NewAskInput {
  version: 1;
  carried?: AskState;
}
export type AskWorkflowInput = AskWorkflowInputV1;

/** The ask as people see it. */
export type AskView = Omit<AskState, never>;

export interface AskActionArg {
  command: AskCommand;
  actor: Actor;
}

export const askStateQuery = defineQuery<AskView>('askState');
/** Resolves once the new ask is projected: the API's 201 waits on it. */
export const askReadyUpdate = defineUpdate<AskView>('askReady');
export const askActionUpdate = defineUpdate<AskView, [AskActionArg]>('askAction');

/** Error type of an ask action the state does not allow now. */
export const ASK_ACTION_REJECTED = 'AskActionRejected';
