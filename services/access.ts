/**
 * The guards services put in front of each use case: domain/access.ts's
 * answer, refused as Forbidden in words the person can act on.
 */
import { canAdminister, canImport, canRunAsks, canTriage } from '../domain/access.ts';
import type { Actor } from '../domain/barrier/types.ts';
import { Forbidden } from './errors.ts';

/** What an admin alone may do, as the refusal names it. */
export type AdminArea =
  'change the directory' | 'read or change SLA policies' | 'read the audit log' | 'manage webhooks';

/** @throws {Forbidden} for anyone but an admin. */
export function requireAdmin(actor: Actor, what: AdminArea): Actor {
  if (!canAdminister(actor)) throw new Forbidden(`Only an admin may ${what}.`);
  return actor;
}

/** @throws {Forbidden} unless the actor may create and run Whitehall asks. */
export function requireAskRunner(actor: Actor): Actor {
  if (!canRunAsks(actor))
    throw new Forbidden('Only GMCA triage staff (and admins) create and run Whitehall asks.');
  return actor;
}

/** @throws {Forbidden} unless the actor may work the triage queue. */
export function requireTriage(actor: Actor): Actor {
  if (!canTriage(actor)) throw new Forbidden('The triage queue is for GMCA triage staff.');
  return actor;
}

/** @throws {Forbidden} unless the actor may import barrier logs. */
export function requireImporter(actor: Actor): Actor {
  if (!canImport(actor)) throw new Forbidden('Only admins and locality leads import barriers.');
  return actor;
}
