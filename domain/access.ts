/**
 * Access: the one answer to "may this person do this here", from
 * ../shared/docs/DESIGN.md. Services enforce these rules and pages use them to
 * show only what someone may do; neither writes a rule of its own.
 *
 * Seeing is scope (a barrier out of scope is reported as not found, so its
 * existence does not leak); acting is role and stage (403 when the role may
 * not, 422 from the state machine when the state does not allow it now).
 */
import type { Role, Stage } from './reference-data.ts';
import type { Actor } from './barrier/types.ts';
import { TRIAGE_ACTION_TYPES, type BarrierActionType } from './barrier/action-types.ts';

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

/** The parts of a stored barrier that decide access. */
export const scopeOf = (b: {
  locality: string;
  neighbourhood: string;
  stage: string;
  ownerEmail?: string | null;
  raisedBy: string;
  raisers?: readonly string[] | null;
}): BarrierScope => ({
  locality: b.locality,
  neighbourhood: b.neighbourhood,
  stage: b.stage as Stage,
  ownerEmail: b.ownerEmail ?? null,
  raisedBy: b.raisedBy,
  raisers: b.raisers ?? [],
});

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

/** An area: a locality, or a neighbourhood of one. */
export interface Area {
  locality?: string;
  neighbourhood?: string;
}

/**
 * The area a list of barriers is limited to, as {@link canSee}'s area rule:
 * leads see their own locality or neighbourhood, GMCA and admins everything.
 * Asking for an area outside one's own is refused (not answered with an empty
 * list). {@link canSee} also lets a lead open a barrier outside their area
 * that they own or raised (it was reassigned to them, or merged into another
 * locality's); lists leave those out so that a list stays one indexed query
 * on locality and neighbourhood: such a barrier is reached from its emails
 * and links, and from the barrier it was merged into.
 */
export function listArea(actor: Actor, requested: Area = {}): { area: Area } | { refused: string } {
  const area = { ...requested };
  if (actor.role === 'locality-lead' || actor.role === 'neighbourhood-lead') {
    if (area.locality && area.locality !== actor.locality)
      return { refused: `You can list barriers in ${actor.locality} only.` };
    area.locality = actor.locality;
  }
  if (actor.role === 'neighbourhood-lead') {
    if (area.neighbourhood && area.neighbourhood !== actor.neighbourhood)
      return { refused: `You can list barriers in ${actor.neighbourhood} only.` };
    area.neighbourhood = actor.neighbourhood;
  }
  return { area };
}

/**
 * The asks an actor sees: every ask for GMCA and admins, else those bundling
 * a barrier of their area (a lead's locality, or their neighbourhood in it).
 */
export function askArea(actor: Actor): Area {
  switch (actor.role) {
    case 'admin':
    case 'gmca-triage':
      return {};
    case 'locality-lead':
      return { locality: actor.locality ?? '' };
    case 'neighbourhood-lead':
      return { locality: actor.locality ?? '', neighbourhood: actor.neighbourhood ?? '' };
  }
}

/** True when the actor may work the triage queue (GMCA triage staff and admins). */
export function canTriage(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'gmca-triage';
}

/** True when the actor may create or act on Whitehall asks. */
export function canRunAsks(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'gmca-triage';
}

/** Who may own a barrier GMCA accepts: someone the directory makes GMCA triage staff. */
export const canOwnAtGm = (roles: readonly string[]): boolean => roles.includes('gmca-triage');

/**
 * True when someone acting as `actor` may own this barrier: their role and
 * area cover it (admins run the system; they do not own barriers).
 */
export const canOwn = (actor: Actor, b: BarrierScope): boolean =>
  actor.role !== 'admin' && canSee(actor, b);

/** The roles that import a locality's barrier log. */
export const IMPORTER_ROLES: readonly Role[] = ['admin', 'locality-lead'];

/** True when the actor may import barrier logs at all. */
export const canImport = (actor: Actor): boolean => IMPORTER_ROLES.includes(actor.role);

/** True when the actor may import barriers into this locality: admins anywhere, leads their own. */
export const canImportInto = (actor: Actor, locality: string): boolean =>
  actor.role === 'admin' || (actor.role === 'locality-lead' && actor.locality === locality);

/** True when the actor may see an import: their own, or any for an admin. */
export const canSeeImport = (actor: Actor, uploadedBy: string): boolean =>
  actor.role === 'admin' || uploadedBy === actor.email;

/**
 * True when the actor may administer Golden Thread: the directory, SLA
 * policies and the audit log are an admin's alone.
 */
export const canAdminister = (actor: Actor): boolean => actor.role === 'admin';
