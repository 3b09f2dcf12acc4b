/**
 * Routing: who owns a barrier at a stage, from the directory.
 *
 * At the neighbourhood stage: the category specialist when one is set, else the
 * neighbourhood lead, else the deputy when the lead is unavailable, else a
 * locality lead. At the locality stage a locality lead; at gmca and whitehall
 * the GMCA triage team. Unavailable people are passed over while anyone else fits.
 */
import type { Owner } from '../domain/barrier/types.ts';
import type { Stage } from '../domain/reference-data.ts';
import type { Models } from './models.ts';
import { localityById, personById } from './directory-reads.ts';
import { readThrough } from './read-cache.ts';

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

type Person = NonNullable<Awaited<ReturnType<typeof personById>>>;
type Candidate = { email: string | null | undefined; reason: string };

/**
 * The first candidate who is available, else the first one in the directory
 * at all. People are read one at a time, in order, so the usual case (the
 * first candidate is there and available) costs one read, not one per candidate.
 */
async function choose(models: Models, candidates: Candidate[], alreadyRead: Person[] = []) {
  let fallback: { person: Person; reason: string } | undefined;
  const read = new Map<string, Person | null>(alreadyRead.map((p) => [p._id, p]));
  for (const c of candidates) {
    if (!c.email) continue;
    if (!read.has(c.email)) read.set(c.email, await personById(models, c.email));
    const person = read.get(c.email);
    if (!person) continue;
    if (person.available) return { person, reason: c.reason };
    fallback ??= { person, reason: c.reason };
  }
  return fallback;
}

/**
 * Chooses the owner of a barrier at its stage, from the directory in the read
 * cache. Run it inside a stamp snapshot (withReadStamps) to check the cache
 * against one read of the directory's stamp; each read checks it otherwise.
 * @throws {NobodyToRouteTo} while the directory has nobody to route to.
 */
export async function routeOwner(models: Models, input: RouteBarrierInput): Promise<Owner> {
  const candidates: Candidate[] = [];
  let team: Person[] = [];
  if (input.stage === 'gmca' || input.stage === 'whitehall') {
    team = await readThrough(models, 'directory', 'team:gmca-triage', () =>
      models.Person.find({ roles: 'gmca-triage' }).sort({ _id: 1 }).lean(),
    );
    for (const p of team) candidates.push({ email: p._id, reason: 'gmca-triage' });
  } else {
    const locality = await localityById(models, input.locality);
    if (locality && input.stage === 'neighbourhood') {
      const n = locality.neighbourhoods.find((x) => x.slug === input.neighbourhood);
      for (const s of locality.specialists.filter((x) => x.category === input.category)) {
        candidates.push({ email: s.email, reason: 'category-specialist' });
      }
      candidates.push({ email: n?.lead, reason: 'neighbourhood-lead' });
      candidates.push({ email: n?.deputy, reason: 'neighbourhood-deputy' });
    }
    for (const email of locality?.leads ?? []) candidates.push({ email, reason: 'locality-lead' });
  }
  const chosen = await choose(models, candidates, team);
  if (!chosen) {
    throw new NobodyToRouteTo(
      `nobody in the directory can own ${input.barrierId} at the ${input.stage} stage (${input.locality}/${input.neighbourhood}); an admin must assign a lead`,
    );
  }
  const { person, reason } = chosen;
  return { email: person._id, name: person.name, reason };
}
