/**
 * The directory's hot reads (a locality, a person, the latest policy), served
 * from the read cache under the `directory` stamp: every write through those
 * models stamps it (read-cache.ts), so a change is seen on the next request.
 * Answers are shared between callers: never change one.
 */
import type { Policy } from '../domain/policy/policy.ts';
import type { Models } from './models.ts';
import { latestPolicy } from './policy-store.ts';
import { readThrough } from './read-cache.ts';

export const localityById = (models: Models, id: string) =>
  readThrough(models, 'directory', `locality:${id}`, () => models.Locality.findById(id).lean());

export const personById = (models: Models, email: string) =>
  readThrough(models, 'directory', `person:${email}`, () => models.Person.findById(email).lean());

/** The newest version of a policy, parsed once per directory change. */
export const latestPolicyCached = (models: Models, policyId: string): Promise<Policy | undefined> =>
  readThrough(models, 'directory', `policy:${policyId}`, () => latestPolicy(models, policyId));
