/**
 * The directory routing reads: localities with their leads, deputies and
 * specialists, and people. Anyone signed in reads localities; changes and the
 * people list are for admins.
 */
import type { Actor } from '../domain/barrier/barrier-machine.ts';
import type {
  LocalityAssignments,
  NeighbourhoodAssignments,
  PersonInput,
} from '../domain/directory/schemas.ts';
import type { ServiceDeps } from './deps.ts';
import { Forbidden, NotFound, invalidField } from './errors.ts';

type Deps = Pick<ServiceDeps, 'models'>;

/** @throws {Forbidden} for anyone but an admin. */
export function requireDirectoryAdmin(actor: Actor): Actor {
  if (actor.role !== 'admin') throw new Forbidden('Only an admin may change the directory.');
  return actor;
}

/** Fails naming `field` when any email is not a person in the directory. */
async function requirePeople(deps: Deps, emails: (string | null | undefined)[], field: string) {
  const wanted = [...new Set(emails.filter((e): e is string => Boolean(e)))];
  const found = new Set(
    (await deps.models.Person.find({ _id: { $in: wanted } }, { _id: 1 }).lean()).map((p) => p._id),
  );
  const missing = wanted.filter((e) => !found.has(e));
  if (missing.length > 0) {
    throw invalidField(
      `Not in the directory: ${missing.join(', ')}. Add them with PUT /api/v1/people/{email} first.`,
      field,
      `names people not in the directory: ${missing.join(', ')}`,
    );
  }
}

/** Every locality with its people resolved to names and availability. */
export async function listLocalities(deps: Deps) {
  const [localities, people] = await Promise.all([
    deps.models.Locality.find().sort({ _id: 1 }).lean(),
    deps.models.Person.find({}, { name: 1, available: 1 }).lean(),
  ]);
  const byEmail = new Map(people.map((p) => [p._id, p]));
  const person = (e: string | null | undefined) => {
    const p = e ? byEmail.get(e) : undefined;
    return p ? { email: p._id, name: p.name, available: p.available } : null;
  };
  return localities.map((l) => ({
    slug: l._id,
    name: l.name,
    leads: l.leads.map(person).filter(Boolean),
    specialists: l.specialists.map((s) => ({ category: s.category, person: person(s.email) })),
    neighbourhoods: l.neighbourhoods.map((n) => ({
      slug: n.slug,
      name: n.name,
      lead: person(n.lead),
      deputy: person(n.deputy),
    })),
  }));
}

export async function setLocalityAssignments(
  deps: Deps,
  actor: Actor,
  slug: string,
  body: LocalityAssignments,
): Promise<void> {
  requireDirectoryAdmin(actor);
  await requirePeople(
    deps,
    [...(body.leads ?? []), ...(body.specialists ?? []).map((s) => s.email)],
    'body',
  );
  const set: Record<string, unknown> = {};
  if (body.leads) set.leads = body.leads;
  if (body.specialists) set.specialists = body.specialists;
  const r = await deps.models.Locality.updateOne({ _id: slug }, { $set: set });
  if (r.matchedCount === 0) throw new NotFound(`There is no locality ${slug}.`);
}

export async function setNeighbourhoodAssignments(
  deps: Deps,
  actor: Actor,
  slug: string,
  neighbourhood: string,
  body: NeighbourhoodAssignments,
): Promise<void> {
  requireDirectoryAdmin(actor);
  await requirePeople(deps, [body.lead, body.deputy], 'body');
  const locality = await deps.models.Locality.findById(slug);
  const hood = locality?.neighbourhoods.find((x) => x.slug === neighbourhood);
  if (!locality || !hood)
    throw new NotFound(`There is no neighbourhood ${neighbourhood} in ${slug}.`);
  if (body.lead !== undefined) hood.lead = body.lead;
  if (body.deputy !== undefined) hood.deputy = body.deputy;
  await locality.save();
}

export async function listPeople(deps: Deps, actor: Actor) {
  requireDirectoryAdmin(actor);
  const people = await deps.models.Person.find().sort({ _id: 1 }).lean();
  return people.map(({ _id, ...p }) => ({ email: _id, ...p }));
}

/** Adds or replaces a person. */
export async function putPerson(
  deps: Deps,
  actor: Actor,
  email: string,
  body: PersonInput,
): Promise<void> {
  requireDirectoryAdmin(actor);
  if (body.locality) {
    const locality = await deps.models.Locality.findById(body.locality).lean();
    if (
      body.neighbourhood &&
      !locality?.neighbourhoods.some((x) => x.slug === body.neighbourhood)
    ) {
      throw invalidField(
        `${body.neighbourhood} is not a neighbourhood of ${body.locality}.`,
        'body.neighbourhood',
        `is not a neighbourhood of ${body.locality}`,
      );
    }
  }
  await deps.models.Person.updateOne({ _id: email }, { $set: body }, { upsert: true });
}
