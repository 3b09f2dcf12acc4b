/** How the signed-in person wants their non-urgent emails. */
import type { Actor } from '../domain/barrier/types.ts';
import type { Preferences } from '../domain/directory/schemas.ts';
import { URGENT_KINDS } from '../domain/notifications/messages.ts';
import type { ServiceDeps } from './deps.ts';
import { NotFound } from './errors.ts';

type Deps = Pick<ServiceDeps, 'models'>;

const view = (delivery: string) => ({ delivery, alwaysImmediate: URGENT_KINDS });
const notInDirectory = (email: string) =>
  new NotFound(`${email} is not in the directory, so has no preferences.`);

export async function getPreferences(deps: Deps, actor: Actor) {
  const person = await deps.models.Person.findById(actor.email, { delivery: 1 }).lean();
  if (!person) throw notInDirectory(actor.email);
  return view(person.delivery ?? 'immediate');
}

export async function setPreferences(deps: Deps, actor: Actor, body: Preferences) {
  const result = await deps.models.Person.updateOne(
    { _id: actor.email },
    { $set: { delivery: body.delivery } },
  );
  if (result.matchedCount === 0) throw notInDirectory(actor.email);
  return view(body.delivery);
}
