/**
 * Who may see a barrier and who may do what to it, from ../shared/docs/DESIGN.md.
 *
 * Seeing is scope (a barrier out of scope is reported as not found, so its
 * existence does not leak); acting is role and stage (403 when the role may
 * not, 422 from the state machine when the state does not allow it now).
 */
import type { Stage } from '../reference-data.ts';
import type { Actor } from './types.ts';
import { TRIAGE_ACTION_TYPES, type BarrierActionType } from './action-types.ts';

/** The parts of a barrier that decide access. */
export interface BarrierScope {
  locality: string;
  neighbourhood: string;
  stage: Stage;
  ownerEmail: string | null;
  raisedBy: string;
  /** Everyone who raised it, merged barriers' raisers included. */
  raisers?: readonly string[];
}

/** True when the actor may see the barrier at all. */
export function canSee(actor: Actor, b: BarrierScope): boolean {
  switch (actor.role) {
    case 'admin':
    case 'gmca-triage':
      return true;
    case 'locality-lead':
      // A raiser whose barrier was merged into another locality's follows it there.
      return actor.locality === b.locality || (b.raisers ?? []).includes(actor.email);
    case 'neighbourhood-lead':
      return (
        (actor.locality === b.locality && actor.neighbourhood === b.neighbourhood) ||
        b.ownerEmail === actor.email
      );
  }
}

/** True when the actor may raise a barrier in this locality. */
export function canRaise(actor: Actor, locality: string): boolean {
  return actor.role === 'admin' || (actor.role === 'locality-lead' && actor.locality === locality);
}

const LOCAL_STAGES: readonly Stage[] = ['neighbourhood', 'locality'];
const GM_STAGES: readonly Stage[] = ['gmca', 'whitehall'];

/**
 * Why the actor's role may not take this action on a barrier it can see, or
 * undefined when it may. Assumes {@link canSee} already holds.
 */
export function roleProblem(
  actor: Actor,
  type: BarrierActionType,
  b: BarrierScope,
): string | undefined {
  if (actor.role === 'admin') return undefined;
  if (type === 'migrate-policy') return 'only an admin may migrate a barrier to another policy';
  if (TRIAGE_ACTION_TYPES.includes(type) && actor.role !== 'gmca-triage')
    return `only GMCA triage staff may ${type} a barrier`;
  if (type === 'comment') return undefined;
  switch (actor.role) {
    case 'gmca-triage':
      return GM_STAGES.includes(b.stage)
        ? undefined
        : `GMCA staff act on barriers at the gmca stage; this one is at ${b.stage}`;
    case 'locality-lead':
      if (type === 'provide-info' || type === 'withdraw' || type === 'reopen') return undefined;
      return LOCAL_STAGES.includes(b.stage)
        ? undefined
        : `locality leads act at the neighbourhood and locality stages; this one is at ${b.stage}`;
    case 'neighbourhood-lead':
      if (type === 'withdraw' || type === 'reopen')
        return 'only a locality lead may withdraw or reopen a barrier';
      return b.stage === 'neighbourhood'
        ? undefined
        : `neighbourhood leads act at the neighbourhood stage; this one is at ${b.stage}`;
  }
}

/** True when the actor may create or act on Whitehall asks. */
export function canRunAsks(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'gmca-triage';
}
