/**
 * policyMoveWorkflow: moves the open barriers of one SLA policy version onto
 * another, a batch at a time, each through its own barrier workflow (so each
 * timeline records the move). The plan (which barriers) is fixed when the move
 * starts and kept in its `policy_moves` record; progress is recorded after
 * every batch, so the admin page and the API show it, and a worker or API
 * restart carries on from the last batch. Moving a barrier twice is harmless:
 * one already on the target version counts as moved.
 */
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/types.ts';
import { STORE_ACTIVITY } from '../activity-options.ts';

const { movePolicyBatch, finishPolicyMove } = proxyActivities<Activities>({
  ...STORE_ACTIVITY,
  // A batch is a few dozen workflow updates: longer than a single read.
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
});

export interface PolicyMoveWorkflowInput {
  moveId: string;
  /** How many barriers the plan holds. */
  total: number;
  /** Where this run starts (after continuing as new). */
  from?: number;
}

/** The workflow id of a move: starting it twice is one move. */
export const policyMoveWorkflowId = (moveId: string) => `policy-move-${moveId}`;

/** Barriers per batch: one progress record each. */
export const POLICY_MOVE_BATCH = 25;
/** Continue as new well before Temporal's history limits. */
const MAX_HISTORY_EVENTS = 4_000;

export async function policyMoveWorkflow(input: PolicyMoveWorkflowInput): Promise<void> {
  let from = input.from ?? 0;
  while (from < input.total) {
    await movePolicyBatch({ moveId: input.moveId, from, size: POLICY_MOVE_BATCH });
    from = Math.min(from + POLICY_MOVE_BATCH, input.total);
    if (from < input.total && workflowInfo().historyLength > MAX_HISTORY_EVENTS)
      await continueAsNew<typeof policyMoveWorkflow>({ ...input, from });
  }
  await finishPolicyMove({ moveId: input.moveId });
}
