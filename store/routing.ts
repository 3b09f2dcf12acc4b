/**
 * Routing from the directory: the rules (domain/routing/routing-rules.ts) fed
 * with the locality or the triage team and the people they name, read through
 * the read cache.
 */
import type { Owner } from '../domain/barrier/types.ts';
import {
  chooseOwner,
  ownerCandidates,
  routedToTriageTeam,
  type RouteBarrierInput,
} from '../domain/routing/routing-rules.ts';
import type { Models } from './models.ts';
import { localityById, personById } from './directory-reads.ts';
import { readThrough } from './read-cache.ts';

/**
 * Chooses the owner of a barrier at its stage, from the directory in the read
 * cache. Run it inside a stamp snapshot (withReadStamps) to check the cache
 * against one read of the directory's stamp; each read checks it otherwise.
 * @throws {NobodyToRouteTo} while the directory has nobody to route to.
 */
export async function routeOwner(models: Models, input: RouteBarrierInput): Promise<Owner> {
  if (routedToTriageTeam(input.stage)) {
    const team = await readThrough(models, 'directory', 'team:gmca-triage', () =>
      models.Person.find({ roles: 'gmca-triage' }).sort({ _id: 1 }).lean(),
    );
    const byEmail = new Map(team.map((p) => [p._id, p]));
    return chooseOwner(input, ownerCandidates(input, { triageTeam: team }), (email) =>
      byEmail.has(email) ? byEmail.get(email) : personById(models, email),
    );
  }
  const locality = await localityById(models, input.locality);
  return chooseOwner(input, ownerCandidates(input, { locality }), (email) =>
    personById(models, email),
  );
}
