/**
 * Which actions a barrier's state allows now: one rule, used by the state
 * machine to reject an action and by the pages to offer only the forms that
 * would be accepted. Who may act (role and stage) is in access.ts.
 */
import type { Stage } from '../reference-data.ts';
import type { Actor, BarrierStatus } from './types.ts';
import { roleProblem, type BarrierScope } from '../access.ts';
import { BARRIER_ACTION_TYPES, type BarrierActionType } from './action-types.ts';

/** The parts of a barrier's state that decide which actions it allows. */
export interface ActionState {
  status: BarrierStatus;
  stage: Stage;
  /** The current stage's acknowledge clock has stopped (acknowledged, promoted or closed). */
  acknowledged: boolean;
  /** Why the clock is paused, or null while it runs. */
  pauseReason: string | null;
  /** The last instant (epoch ms) a resolved or withdrawn barrier may be reopened; null: no limit. */
  reopenUntil: number | null;
}

const NEXT_STAGE: Record<Stage, Stage | null> = {
  neighbourhood: 'locality',
  locality: 'gmca',
  gmca: 'whitehall',
  whitehall: null,
};

/** The stage a breach or manual escalation moves to; GMCA only goes on by promotion. */
export function escalationTarget(stage: Stage): Stage | null {
  return stage === 'neighbourhood' || stage === 'locality' ? NEXT_STAGE[stage] : null;
}

/**
 * Why the state does not allow an action of this type now, or undefined when
 * it does. Rules that depend on the action's arguments (merging a barrier into
 * itself, say) are the machine's, on top of this.
 */
export function stateProblem(
  type: BarrierActionType,
  s: ActionState,
  now: number,
): string | undefined {
  const open = s.status === 'open';
  switch (type) {
    case 'comment':
      return s.status === 'merged'
        ? 'this barrier was merged into another; comment there'
        : undefined;
    case 'acknowledge':
      if (!open) return `the barrier is ${s.status}`;
      if (s.acknowledged) return `it is already acknowledged at the ${s.stage} stage`;
      return undefined;
    case 'request-info':
      if (!open) return `the barrier is ${s.status}`;
      if (s.pauseReason !== null) return `the clock is already paused (${s.pauseReason})`;
      return undefined;
    case 'provide-info':
      if (!open) return `the barrier is ${s.status}`;
      if (s.pauseReason === null) return 'no information was requested: the clock is not paused';
      return undefined;
    case 'reassign':
    case 'migrate-policy':
      return open ? undefined : `the barrier is ${s.status}`;
    case 'escalate':
      if (!open) return `the barrier is ${s.status}`;
      if (escalationTarget(s.stage) === null) {
        return s.stage === 'gmca'
          ? 'at the gmca stage a barrier goes on only by promotion into a Whitehall ask'
          : `the ${s.stage} stage is the top of the ladder`;
      }
      return undefined;
    case 'resolve':
    case 'withdraw':
      return open ? undefined : `the barrier is already ${s.status}`;
    case 'reopen':
      if (s.status !== 'resolved' && s.status !== 'withdrawn') {
        return s.status === 'open'
          ? 'the barrier is open'
          : `a ${s.status} barrier cannot be reopened`;
      }
      if (s.reopenUntil !== null && now > s.reopenUntil) return 'the reopen window has passed';
      return undefined;
    case 'accept':
    case 'return':
    case 'promote':
    case 'merge':
      if (!open) return `the barrier is ${s.status}`;
      if (s.stage !== 'gmca')
        return `triage decisions are taken at the gmca stage; this barrier is at ${s.stage}`;
      return undefined;
    case 'link':
      return s.status === 'merged'
        ? 'this barrier was merged into another; link that one'
        : undefined;
  }
}

/**
 * The actions `actor` may take on a barrier now, in the schema's order: those
 * both their role ({@link roleProblem}) and the state ({@link stateProblem}) allow.
 */
export function availableActions(
  actor: Actor,
  barrier: BarrierScope & ActionState,
  now: number,
): BarrierActionType[] {
  return BARRIER_ACTION_TYPES.filter(
    (type) =>
      roleProblem(actor, type, barrier) === undefined &&
      stateProblem(type, barrier, now) === undefined,
  );
}
