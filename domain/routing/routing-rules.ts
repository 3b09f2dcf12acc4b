/**
 * Routing rules: who owns a barrier at a stage.
 *
 * At the neighbourhood stage: the category specialist when one is set, else the
 * neighbourhood lead, else the deputy when the lead is unavailable, else a
 * locality lead. At the locality stage a locality lead; at gmca and whitehall
 * the GMCA triage team. Unavailable people are passed over while anyone else fits.
 *
 * The rules only name candidates and choose among them; the caller reads the
 * directory (store/routing.ts), one person at a time as {@link chooseOwner} asks.
 */
import type { Stage } from '../reference-data.ts';
import type { Owner } from '../barrier/types.ts';
import { NobodyToRouteTo } from './errors.ts';

/** What routing is asked: the barrier's place and the stage it needs an owner at. */
export interface RouteBarrierInput {
  barrierId: string;
  locality: string;
  neighbourhood: string;
  category: string;
  stage: Stage;
}

/** What the rules need of a locality in the directory. */
export interface RoutingLocality {
  neighbourhoods: readonly { slug: string; lead?: string | null; deputy?: string | null }[];
  leads: readonly string[];
  specialists: readonly { category?: string | null; email?: string | null }[];
}

/** What the rules need of a person in the directory (`_id` is their email). */
export interface RoutingPerson {
  _id: string;
  name: string;
  available: boolean;
}

/** Someone who may own the barrier, and why; no email when the directory names nobody. */
export interface Candidate {
  email: string | null | undefined;
  reason: string;
}

/** True when a stage's owner comes from the GMCA triage team rather than the locality. */
export const routedToTriageTeam = (stage: Stage): boolean =>
  stage === 'gmca' || stage === 'whitehall';

/**
 * The people who may own the barrier at its stage, most fitting first.
 * @param directory the locality (for local stages) or the triage team (for
 * {@link routedToTriageTeam} stages), as read from the directory.
 */
export function ownerCandidates(
  input: RouteBarrierInput,
  directory: { locality?: RoutingLocality | null; triageTeam?: readonly RoutingPerson[] },
): Candidate[] {
  if (routedToTriageTeam(input.stage)) {
    return (directory.triageTeam ?? []).map((p) => ({ email: p._id, reason: 'gmca-triage' }));
  }
  const { locality } = directory;
  const candidates: Candidate[] = [];
  if (locality && input.stage === 'neighbourhood') {
    const n = locality.neighbourhoods.find((x) => x.slug === input.neighbourhood);
    for (const s of locality.specialists.filter((x) => x.category === input.category)) {
      candidates.push({ email: s.email, reason: 'category-specialist' });
    }
    candidates.push({ email: n?.lead, reason: 'neighbourhood-lead' });
    candidates.push({ email: n?.deputy, reason: 'neighbourhood-deputy' });
  }
  for (const email of locality?.leads ?? []) candidates.push({ email, reason: 'locality-lead' });
  return candidates;
}

/**
 * The first candidate who is available, else the first one in the directory
 * at all. People are looked up one at a time, in order, and each at most once,
 * so the usual case (the first candidate is there and available) costs one
 * look-up, not one per candidate.
 * @param lookUp a person from the directory by email; null or undefined when absent.
 * @throws {NobodyToRouteTo} when no candidate is in the directory.
 */
export async function chooseOwner<P extends RoutingPerson>(
  input: RouteBarrierInput,
  candidates: readonly Candidate[],
  lookUp: (email: string) => P | null | undefined | Promise<P | null | undefined>,
): Promise<Owner> {
  let fallback: { person: P; reason: string } | undefined;
  const seen = new Map<string, P | null | undefined>();
  let chosen: { person: P; reason: string } | undefined;
  for (const c of candidates) {
    if (!c.email) continue;
    if (!seen.has(c.email)) seen.set(c.email, await lookUp(c.email));
    const person = seen.get(c.email);
    if (!person) continue;
    if (person.available) {
      chosen = { person, reason: c.reason };
      break;
    }
    fallback ??= { person, reason: c.reason };
  }
  chosen ??= fallback;
  if (!chosen) {
    throw new NobodyToRouteTo(
      `nobody in the directory can own ${input.barrierId} at the ${input.stage} stage (${input.locality}/${input.neighbourhood}); an admin must assign a lead`,
    );
  }
  const { person, reason } = chosen;
  return { email: person._id, name: person.name, reason };
}
