/**
 * What each actor may see, as filters both front ends apply: the barriers
 * list and the asks register. Whether one barrier is visible is domain's
 * `canSee`; these are the same rules as queries.
 */
import type { BarrierScope } from '../domain/barrier/access.ts';
import type { Actor } from '../domain/barrier/types.ts';
import { Forbidden } from './errors.ts';

/** The parts of a stored barrier that decide access. */
export const scopeOf = (b: {
  locality: string;
  neighbourhood: string;
  stage: string;
  ownerEmail?: string | null;
  raisedBy: string;
  raisers?: string[] | null;
}): BarrierScope => ({
  locality: b.locality,
  neighbourhood: b.neighbourhood,
  stage: b.stage as BarrierScope['stage'],
  ownerEmail: b.ownerEmail ?? null,
  raisedBy: b.raisedBy,
  raisers: b.raisers ?? [],
});

/**
 * The locality and neighbourhood a list is limited to: leads see their own
 * area only, and asking for another is refused (not answered with an empty list).
 * @throws {Forbidden} when `requested` names an area outside the actor's.
 */
export function barrierListScope(
  actor: Actor,
  requested: { locality?: string; neighbourhood?: string } = {},
): { locality?: string; neighbourhood?: string } {
  const scope = { ...requested };
  if (actor.role === 'locality-lead' || actor.role === 'neighbourhood-lead') {
    if (scope.locality && scope.locality !== actor.locality)
      throw new Forbidden(`You can list barriers in ${actor.locality} only.`);
    scope.locality = actor.locality;
  }
  if (actor.role === 'neighbourhood-lead') {
    if (scope.neighbourhood && scope.neighbourhood !== actor.neighbourhood)
      throw new Forbidden(`You can list barriers in ${actor.neighbourhood} only.`);
    scope.neighbourhood = actor.neighbourhood;
  }
  return scope;
}

/** Which asks an actor may see: everything for GMCA, else those bundling their area's barriers. */
export function askScope(actor: Actor): Record<string, string> {
  switch (actor.role) {
    case 'admin':
    case 'gmca-triage':
      return {};
    case 'locality-lead':
      return { 'evidence.localities': actor.locality ?? '' };
    case 'neighbourhood-lead':
      return { 'evidence.neighbourhoods': `${actor.locality}/${actor.neighbourhood}` };
  }
}
