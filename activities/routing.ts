/**
 * Routing: who owns a barrier at a stage, from the directory.
 *
 * At the neighbourhood stage: the category specialist when one is set, else the
 * neighbourhood lead, else the deputy when the lead is unavailable, else a
 * locality lead. At the locality stage a locality lead; at gmca and whitehall
 * the GMCA triage team. Unavailable people are passed over while anyone else fits.
 */
import type { Owner } from '../domain/barrier/barrier-machine.ts';
import type { Stage } from '../domain/reference-data.ts';
import type { Models } from '../store/models.ts';
import { findByIds } from '../store/point-reads.ts';

export interface RouteBarrierInput {
  barrierId: string;
  locality: string;
  neighbourhood: string;
  category: string;
  stage: Stage;
}

/** Thrown (and retried) while the directory has nobody to route to. */
export class NobodyToRouteTo extends Error {
  override readonly name = 'NobodyToRouteTo';
}

export function createRoutingActivities(models: Models) {
  async function people(emails: (string | null | undefined)[]) {
    const wanted = emails.filter((e): e is string => Boolean(e));
    const found = await findByIds(models.Person, wanted);
    const byEmail = new Map(found.map((p) => [p._id, p]));
    return wanted.flatMap((e) => {
      const p = byEmail.get(e);
      return p ? [p] : [];
    });
  }

  return {
    /** Chooses the owner of a barrier at its current stage. */
    async routeBarrier(input: RouteBarrierInput): Promise<Owner> {
      const candidates: { email: string | null | undefined; reason: string }[] = [];
      if (input.stage === 'gmca' || input.stage === 'whitehall') {
        const team = await models.Person.find({ roles: 'gmca-triage' }).sort({ _id: 1 }).lean();
        for (const p of team) candidates.push({ email: p._id, reason: 'gmca-triage' });
      } else {
        const locality = await models.Locality.findById(input.locality).lean();
        if (locality && input.stage === 'neighbourhood') {
          const n = locality.neighbourhoods.find((x) => x.slug === input.neighbourhood);
          for (const s of locality.specialists.filter((x) => x.category === input.category)) {
            candidates.push({ email: s.email, reason: 'category-specialist' });
          }
          candidates.push({ email: n?.lead, reason: 'neighbourhood-lead' });
          candidates.push({ email: n?.deputy, reason: 'neighbourhood-deputy' });
        }
        for (const email of locality?.leads ?? [])
          candidates.push({ email, reason: 'locality-lead' });
      }
      const known = await people(candidates.map((c) => c.email));
      const pick =
        candidates.find((c) => known.some((p) => p._id === c.email && p.available)) ??
        candidates.find((c) => known.some((p) => p._id === c.email));
      const person = pick && known.find((p) => p._id === pick.email);
      if (!pick || !person) {
        throw new NobodyToRouteTo(
          `nobody in the directory can own ${input.barrierId} at the ${input.stage} stage (${input.locality}/${input.neighbourhood}); an admin must assign a lead`,
        );
      }
      return { email: person._id, name: person.name, reason: pick.reason };
    },
  };
}
