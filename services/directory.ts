/**
 * The directory routing and access read: localities with their leads,
 * deputies and specialists, and people (and machine clients). Anyone signed in
 * reads localities; changes and the people list are for admins, and every
 * change is audited with the record before and after.
 */
import { z } from 'zod';
import type { Actor } from '../domain/barrier/types.ts';
import { categoryName } from '../domain/format/index.ts';
import { LOCALITIES, ROLES } from '../domain/reference-data.ts';
import type {
  LocalityAssignments,
  NeighbourhoodAssignments,
  PersonInput,
} from '../domain/directory/schemas.ts';
import { findByIds } from '../store/point-reads.ts';
import { requireAdmin } from './access.ts';
import { escapeRegex, recordAudit, type Via } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { Conflict, Forbidden, NotFound, invalidField } from './errors.ts';
import { readNumberedPage, type NumberedPage } from '../domain/numbered-page.ts';

type Deps = Pick<ServiceDeps, 'models'>;

/** @throws {Forbidden} for anyone but an admin. */
export const requireDirectoryAdmin = (actor: Actor): Actor =>
  requireAdmin(actor, 'change the directory');

/** Fails naming `field` when any email is not a person in the directory. */
async function requirePeople(deps: Deps, emails: (string | null | undefined)[], field: string) {
  const wanted = [...new Set(emails.filter((e): e is string => Boolean(e)))];
  const found = new Set(
    (await deps.models.Person.find({ _id: { $in: wanted } }, { _id: 1 }).lean()).map((p) => p._id),
  );
  const missing = wanted.filter((e) => !found.has(e));
  if (missing.length > 0) {
    throw invalidField(
      `Not in the directory: ${missing.join(', ')}. Add them to the directory first.`,
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
  via: Via,
  slug: string,
  body: LocalityAssignments,
): Promise<void> {
  requireDirectoryAdmin(actor);
  await requirePeople(
    deps,
    [...(body.leads ?? []), ...(body.specialists ?? []).map((s) => s.email)],
    'body',
  );
  const before = await deps.models.Locality.findById(slug, { leads: 1, specialists: 1 }).lean();
  if (!before) throw new NotFound(`There is no locality ${slug}.`);
  const set: Record<string, unknown> = {};
  if (body.leads) set.leads = body.leads;
  if (body.specialists) set.specialists = body.specialists;
  await deps.models.Locality.updateOne({ _id: slug }, { $set: set });
  await recordAudit(deps, actor, via, {
    action: 'locality.assignments-changed',
    target: `locality:${slug}`,
    before: { leads: before.leads, specialists: before.specialists },
    after: {
      leads: body.leads ?? before.leads,
      specialists: body.specialists ?? before.specialists,
    },
  });
}

export async function setNeighbourhoodAssignments(
  deps: Deps,
  actor: Actor,
  via: Via,
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
  const before = { lead: hood.lead ?? null, deputy: hood.deputy ?? null };
  if (body.lead !== undefined) hood.lead = body.lead;
  if (body.deputy !== undefined) hood.deputy = body.deputy;
  await locality.save();
  await recordAudit(deps, actor, via, {
    action: 'neighbourhood.assignments-changed',
    target: `neighbourhood:${slug}/${neighbourhood}`,
    before,
    after: { lead: hood.lead ?? null, deputy: hood.deputy ?? null },
  });
}

/** A directory entry as the API and pages show it. */
export interface PersonView {
  email: string;
  name: string;
  roles: string[];
  locality: string | null;
  neighbourhood: string | null;
  available: boolean;
  delivery?: string;
  kind: string;
  clientId: string | null;
}

const view = ({ _id, ...p }: { _id: string } & Record<string, unknown>): PersonView =>
  ({
    email: _id,
    ...p,
    kind: (p.kind as string | undefined) ?? 'person',
    clientId: (p.clientId as string | null | undefined) ?? null,
    locality: (p.locality as string | null | undefined) ?? null,
    neighbourhood: (p.neighbourhood as string | null | undefined) ?? null,
  }) as PersonView;

export async function listPeople(deps: Deps, actor: Actor): Promise<PersonView[]> {
  requireDirectoryAdmin(actor);
  const people = await deps.models.Person.find().sort({ _id: 1 }).lean();
  return people.map((p) => view(p as never));
}

/** The people page's search and filters. */
export const peopleFilterSchema = z.strictObject({
  /** Words that must each appear in the name or the email. */
  q: z.string().trim().max(200).optional(),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).optional(),
  locality: z.enum(LOCALITIES, { error: `must be one of ${LOCALITIES.join(', ')}` }).optional(),
  /** Only those marked away. */
  away: z.literal('yes', { error: 'must be yes' }).optional(),
});
export type PeopleFilter = z.output<typeof peopleFilterSchema>;

/** The database filter for `filter`: every word in the name or the email, case-insensitive. */
export function peopleQuery(filter: PeopleFilter): Record<string, unknown> {
  const and: Record<string, unknown>[] = (filter.q ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const re = { $regex: escapeRegex(word), $options: 'i' };
      return { $or: [{ name: re }, { _id: re }] };
    });
  if (filter.role) and.push({ roles: filter.role });
  if (filter.locality) and.push({ locality: filter.locality });
  if (filter.away) and.push({ available: false });
  return and.length ? { $and: and } : {};
}

/** People matching `filter`, by name, `size` a page. Admins only. */
export async function findPeople(
  deps: Deps,
  actor: Actor,
  filter: PeopleFilter,
  page = 1,
  size = 25,
): Promise<NumberedPage<PersonView>> {
  requireDirectoryAdmin(actor);
  const q = peopleQuery(filter);
  return readNumberedPage(
    page,
    size,
    () => deps.models.Person.countDocuments(q),
    async (skip, limit) =>
      (
        await deps.models.Person.find(q).sort({ name: 1, _id: 1 }).skip(skip).limit(limit).lean()
      ).map((p) => view(p as never)),
  );
}

/** A barrier someone owns, as their page lists it. */
export interface OwnedBarrier {
  id: string;
  reference: string;
  title: string;
  stage: string;
  nextDeadlineAt: string | null;
  breached: boolean;
}

/** How many open barriers `email` owns now, and the `limit` most urgent of them. Admins only. */
export async function openBarriersOwnedBy(
  deps: Deps,
  actor: Actor,
  email: string,
  limit = 5,
): Promise<{ total: number; items: OwnedBarrier[] }> {
  requireDirectoryAdmin(actor);
  const q = { ownerEmail: email, status: 'open' };
  const [total, docs] = await Promise.all([
    deps.models.Barrier.countDocuments(q),
    deps.models.Barrier.find(q, {
      reference: 1,
      title: 1,
      stage: 1,
      nextDeadlineAt: 1,
      breached: 1,
    })
      .sort({ deadlineSortAt: 1, _id: 1 })
      .limit(limit)
      .lean(),
  ]);
  return {
    total,
    items: docs.map((b) => ({
      id: b._id,
      reference: b.reference,
      title: b.title,
      stage: b.stage,
      nextDeadlineAt: b.nextDeadlineAt ? b.nextDeadlineAt.toISOString() : null,
      breached: Boolean(b.breached),
    })),
  };
}

/** One entry. @throws {NotFound} */
export async function getPerson(deps: Deps, actor: Actor, email: string): Promise<PersonView> {
  requireDirectoryAdmin(actor);
  const p = await deps.models.Person.findById(email).lean();
  if (!p) throw new NotFound(`${email} is not in the directory.`);
  return view(p);
}

/** Where a person is named in localities and neighbourhoods: what routing changes when they are away. */
export async function assignmentsOf(deps: Deps, email: string) {
  const localities = await deps.models.Locality.find({
    $or: [
      { leads: email },
      { 'specialists.email': email },
      { 'neighbourhoods.lead': email },
      { 'neighbourhoods.deputy': email },
    ],
  }).lean();
  // Only the people who would stand in are named: their leads' colleagues and deputies.
  const others = localities
    .flatMap((l) => [...l.leads, ...l.neighbourhoods.map((n) => n.deputy)])
    .filter((e): e is string => Boolean(e));
  const people = await findByIds(deps.models.Person, others, { name: 1 });
  const names = new Map(people.map((p) => [p._id, p.name]));
  const name = (e: string | null | undefined) => (e ? (names.get(e) ?? e) : null);
  const out: { where: string; as: string; instead: string | null }[] = [];
  for (const l of localities) {
    if (l.leads.includes(email))
      out.push({
        where: l.name,
        as: 'locality lead',
        instead:
          l.leads
            .filter((x) => x !== email)
            .map(name)
            .join(', ') || null,
      });
    for (const s of l.specialists)
      if (s.email === email)
        out.push({ where: l.name, as: `${categoryName(s.category)} specialist`, instead: null });
    for (const n of l.neighbourhoods) {
      if (n.lead === email)
        out.push({
          where: `${n.name}, ${l.name}`,
          as: 'neighbourhood lead',
          instead: name(n.deputy),
        });
      if (n.deputy === email)
        out.push({ where: `${n.name}, ${l.name}`, as: 'deputy', instead: null });
    }
  }
  return out;
}

/** Adds or replaces an entry. @throws {Conflict} when a service's client id is another entry's. */
export async function putPerson(
  deps: Deps,
  actor: Actor,
  via: Via,
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
  if (body.clientId) {
    const other = await deps.models.Person.findOne(
      { clientId: body.clientId, _id: { $ne: email } },
      { _id: 1 },
    ).lean();
    if (other) throw new Conflict(`Client id ${body.clientId} already belongs to ${other._id}.`);
  }
  const before = await deps.models.Person.findById(email).lean();
  await deps.models.Person.updateOne({ _id: email }, { $set: body }, { upsert: true });
  await recordAudit(deps, actor, via, {
    action: before ? 'person.updated' : 'person.added',
    target: `person:${email}`,
    before: before ? view(before) : null,
    after: { email, ...body },
  });
}

/** Marks someone away (routing then uses their deputy) or back. */
export async function setAvailability(
  deps: Deps,
  actor: Actor,
  via: Via,
  email: string,
  available: boolean,
): Promise<void> {
  requireDirectoryAdmin(actor);
  const before = await deps.models.Person.findOneAndUpdate(
    { _id: email },
    { $set: { available } },
  ).lean();
  if (!before) throw new NotFound(`${email} is not in the directory.`);
  await recordAudit(deps, actor, via, {
    action: available ? 'person.available' : 'person.unavailable',
    target: `person:${email}`,
    before: { available: before.available },
    after: { available },
  });
}

/**
 * Removes someone's access: no roles, unavailable for routing, and every page
 * session of theirs revoked, so their next request is refused. The record
 * stays, because barriers' timelines name them.
 */
export async function removeAccess(
  deps: Deps,
  actor: Actor,
  via: Via,
  email: string,
): Promise<void> {
  requireDirectoryAdmin(actor);
  if (email === actor.email)
    throw new Forbidden('You cannot remove your own access; ask another admin.');
  const before = await deps.models.Person.findOneAndUpdate(
    { _id: email },
    { $set: { roles: [], available: false } },
  ).lean();
  if (!before) throw new NotFound(`${email} is not in the directory.`);
  await recordAudit(deps, actor, via, {
    action: 'person.access-removed',
    target: `person:${email}`,
    before: { roles: before.roles, available: before.available },
    after: { roles: [], available: false, sessionsEnded: await revoke(deps, actor, email) },
  });
}

/** Revokes every live page session of `email`; how many there were. */
async function revoke(deps: Deps, actor: Actor, email: string): Promise<number> {
  const r = await deps.models.Session.updateMany(
    { email, revokedAt: null },
    { $set: { revokedAt: new Date(), revokedBy: actor.email } },
  );
  return r.modifiedCount;
}

/** Signs someone out everywhere (a lost laptop, say) without changing their access. */
export async function endSessions(
  deps: Deps,
  actor: Actor,
  via: Via,
  email: string,
): Promise<number> {
  requireDirectoryAdmin(actor);
  if (!(await deps.models.Person.exists({ _id: email })))
    throw new NotFound(`${email} is not in the directory.`);
  const ended = await revoke(deps, actor, email);
  await recordAudit(deps, actor, via, {
    action: 'person.sessions-ended',
    target: `person:${email}`,
    after: { sessionsEnded: ended },
  });
  return ended;
}

/** Localities with their neighbourhoods, by slug: the choices of the raise and person forms. */
export function localityChoices(deps: Deps) {
  return deps.models.Locality.find({}, { name: 1, neighbourhoods: 1 }).sort({ _id: 1 }).lean();
}

/**
 * The people a locality's form offers for its posts: its own people with a
 * role, and whoever holds one of its posts now (not the whole directory,
 * which made every select enormous). Admins only.
 */
export async function localityPostCandidates(
  deps: Deps,
  actor: Actor,
  slug: string,
  holders: readonly string[],
): Promise<{ email: string; name: string }[]> {
  requireDirectoryAdmin(actor);
  const people = await deps.models.Person.find(
    {
      kind: { $ne: 'service' },
      $or: [{ locality: slug, roles: { $ne: [] } }, { _id: { $in: [...holders] } }],
    },
    { name: 1 },
  )
    .sort({ name: 1 })
    .lean();
  return people.map((p) => ({ email: p._id, name: p.name }));
}

/** True when the directory has an entry (a person or a service) under this email. Admins only. */
export async function personExists(deps: Deps, actor: Actor, email: string): Promise<boolean> {
  requireDirectoryAdmin(actor);
  return Boolean(await deps.models.Person.exists({ _id: email }));
}
