/**
 * Who a request acts as. The credential (a page session, an OpenID access
 * token, a development token) proves only who someone is: an email, or a
 * machine client's id. What they may do comes from the directory, read on
 * every request, so an admin's change — or removing someone's access — takes
 * effect on their next request without them signing out.
 */
import type { Actor } from '../domain/barrier/types.ts';
import { ROLES, type Role } from '../domain/reference-data.ts';
import { personById } from '../store/directory-reads.ts';
import { readThrough } from '../store/read-cache.ts';
import type { ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';

type Deps = Pick<ServiceDeps, 'models'>;

/** What a credential proves. */
export type Credential = { email: string } | { clientId: string };

/**
 * The directory does not let this identity in: unknown, without roles, or
 * with a record that is not complete enough to scope them. Nothing was created.
 */
export class NoAccess extends ServiceError {
  override readonly name = 'NoAccess';
  constructor(
    detail: string,
    /** Who the credential proved, for the page that says so. */
    readonly who: string,
  ) {
    super('forbidden', detail);
  }
}

/** The signed-in identity: the actor it acts as now, its name, and every role it holds. */
export interface Identity {
  actor: Actor;
  name: string;
  roles: Role[];
}

const ASK_ADMIN = 'ask your Golden Thread administrator';

/** The actor for one of the person's roles, scoped by their directory record. */
function actorFor(
  email: string,
  role: Role,
  p: { locality?: string | null; neighbourhood?: string | null },
): Actor | string {
  if (role === 'locality-lead' || role === 'neighbourhood-lead') {
    if (!p.locality) return `your ${role} record has no locality`;
    if (role === 'neighbourhood-lead' && !p.neighbourhood)
      return 'your neighbourhood-lead record has no neighbourhood';
    return {
      email,
      role,
      locality: p.locality,
      ...(role === 'neighbourhood-lead' ? { neighbourhood: p.neighbourhood! } : {}),
    };
  }
  return { email, role };
}

/**
 * A person's entry, never a service's (a service is filed under its team's
 * address). Read by key, then checked: the filter `{_id, kind}` would scan on
 * FerretDB's SQLite backend, which pushes down only `{_id}`. Every request
 * asks, so it is served from memory until the directory changes (any write
 * to people stamps it: store/read-cache.ts).
 */
async function personByEmail(deps: Deps, email: string) {
  const id = email.trim().toLowerCase();
  const entry = await personById(deps.models, id);
  return entry?.kind === 'service' ? null : entry;
}

/**
 * The person a sign-in names, with their roles, or null when the directory
 * has no person (a service's entry is never one) under that email.
 */
export async function signInPerson(deps: Deps, email: string) {
  const p = await personByEmail(deps, email);
  return p && { email: p._id, roles: p.roles };
}

/**
 * The people development sign-in offers (never services), with their roles
 * and areas, by role, locality and email.
 */
export function signInChoices(deps: Deps) {
  return deps.models.Person.find(
    { kind: { $ne: 'service' } },
    { name: 1, roles: 1, locality: 1, neighbourhood: 1 },
  )
    .sort({ roles: 1, locality: 1, _id: 1 })
    .lean();
}

/** A machine client's entry, by the client id its tokens carry. */
function serviceByClientId(deps: Deps, clientId: string) {
  return readThrough(deps.models, 'directory', `client:${clientId}`, () =>
    deps.models.Person.findOne({ kind: 'service', clientId }).lean(),
  );
}

/**
 * The directory entry a credential names and the roles it holds.
 * @throws {NoAccess} when the directory does not know them or gives them no role.
 */
async function directoryEntry(deps: Deps, credential: Credential) {
  // A person signing in with a service's address is not the service, and a
  // machine token never matches a person.
  const person =
    'email' in credential
      ? await personByEmail(deps, credential.email)
      : await serviceByClientId(deps, credential.clientId);
  const who = 'email' in credential ? credential.email : `client ${credential.clientId}`;
  if (!person) {
    throw new NoAccess(
      `${who} does not have access to Golden Thread yet; ${ASK_ADMIN} to add you.`,
      who,
    );
  }
  const roles = person.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  if (roles.length === 0) {
    throw new NoAccess(
      `${who} has no role in Golden Thread at the moment; ${ASK_ADMIN} if you need one.`,
      who,
    );
  }
  return { person, who, roles };
}

/**
 * Every role the directory gives a person, each as the actor it makes; a role
 * whose record is incomplete (a lead without a locality) is left out.
 * @throws {NoAccess} when the directory does not know them or gives them no role.
 */
export async function actorsOf(
  deps: Deps,
  email: string,
): Promise<{ email: string; name: string; actors: Actor[] }> {
  const { person, roles } = await directoryEntry(deps, { email });
  const actors = roles
    .map((r) => actorFor(person._id, r, person))
    .filter((a): a is Actor => typeof a !== 'string');
  return { email: person._id, name: person.name, actors };
}

/**
 * Resolves a credential to the actor the directory makes it, acting in
 * `actingAs` when the person holds that role, else in their first (a page
 * session falls back to it; a token naming a role they lack is refused).
 * @throws {NoAccess} when the directory does not know them, gives them no
 *   role, or does not hold `actingAs` for them.
 */
export async function resolveIdentity(
  deps: Deps,
  credential: Credential,
  actingAs?: string | null,
  options: { fallBack?: boolean } = {},
): Promise<Identity> {
  const { person, who, roles } = await directoryEntry(deps, credential);
  if (actingAs && !roles.includes(actingAs as Role) && options.fallBack) actingAs = undefined;
  if (actingAs && !roles.includes(actingAs as Role)) {
    throw new NoAccess(
      `${who} does not hold the role ${actingAs}; ${ASK_ADMIN} if you need it.`,
      who,
    );
  }
  const role = (actingAs as Role | null | undefined) ?? roles[0]!;
  const actor = actorFor(person._id, role, person);
  if (typeof actor === 'string')
    throw new NoAccess(`${who} cannot be let in: ${actor}; ${ASK_ADMIN} to complete it.`, who);
  return { actor, name: person.name, roles };
}
