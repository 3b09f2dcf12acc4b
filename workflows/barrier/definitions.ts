/**
 * The barrier workflow's messages and input, shared by the workflow, the API
 * (through lifecycle.ts) and tests.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  Actor,
  AskNews,
  MergedBarrier,
  BarrierCommand,
  BarrierState,
  BarrierStatus,
  EmailRejected,
  ImportedFrom,
  Owner,
  SlaView,
} from '../../domain/barrier/types.ts';
import type { RaiseBarrier } from '../../domain/barrier/schemas.ts';
import type { Policy } from '../../domain/policy/policy.ts';
import type { Stage } from '../../domain/reference-data.ts';

/** The workflow id of a barrier: the one place it is spelled. */
export const barrierWorkflowId = (barrierId: string) => `barrier-${barrierId}`;

/** Version 1 of the workflow input. New fields arrive as a V2, never by changing V1. */
export interface BarrierWorkflowInputV1 {
  version: 1;
  id: string;
  reference: string;
  details: RaiseBarrier;
  raisedBy: string;
  policy: Policy;
  /**
   * The owner the API routed it to when raising it (the directory is at hand
   * there): the workflow assigns it without routing again. Absent when the
   * directory had nobody; the workflow then routes (and waits for someone).
   */
  owner?: Owner;
  /** Set only when the workflow continues as new: the state to carry on from. */
  carried?: BarrierState;
}
/** Version 2: a barrier imported from a locality's existing log. */
export interface BarrierWorkflowInputV2 extends Omit<BarrierWorkflowInputV1, 'version'> {
  version: 2;
  imported: ImportedFrom;
}
export type BarrierWorkflowInput = BarrierWorkflowInputV1 | BarrierWorkflowInputV2;

/** What queries and updates return: the barrier as people see it. */
export interface BarrierView {
  id: string;
  reference: string;
  title: string;
  description: string;
  locality: string;
  neighbourhood: string;
  category: string;
  focusArea: string | null;
  gmModelFeature: string | null;
  peopleAffected: number | null;
  evidence: { title: string; url: string }[];
  raisedBy: string;
  raisedAt: number;
  stage: Stage;
  status: BarrierStatus;
  cycle: number;
  owner: Owner | null;
  acknowledged: boolean;
  policy: { id: string; version: number };
  sla: SlaView;
  closedAt: number | null;
  reopenUntil: number | null;
  resolution: string | null;
  seq: number;
  /** Everyone who raised it, including raisers of barriers merged into it. */
  raisers: string[];
  mergedInto: string | null;
  mergedFrom: string[];
  links: string[];
  askId: string | null;
}

/** An action, with the actor who takes it. */
export interface BarrierActionArg {
  command: BarrierCommand;
  actor: Actor;
}

/** The full state. */
export const barrierStateQuery = defineQuery<BarrierView>('barrierState');

/** Resolves once the barrier has been routed and projected: the API's 201 waits on it. */
export const awaitRoutedUpdate = defineUpdate<BarrierView>('awaitRouted');

/** Takes an action; rejected by the validator when not allowed now. */
export const barrierActionUpdate = defineUpdate<BarrierView, [BarrierActionArg]>('barrierAction');

/** Another barrier was merged into this one. */
export const absorbSignal = defineSignal<[MergedBarrier]>('absorb');

/** Another barrier linked itself to this one. */
export const linkedSignal = defineSignal<[{ with: string }]>('linked');

/** News from the Whitehall ask that bundles this barrier. */
export const askNewsSignal = defineSignal<[AskNews]>('askNews');

/** Emails from the outbox the relay refused for good: recorded on the timeline. */
export const emailsRejectedSignal = defineSignal<[EmailRejected[]]>('emailsRejected');

/** Error type of an action the state does not allow now (the API maps it to 422). */
export const ACTION_REJECTED = 'ActionRejected';
