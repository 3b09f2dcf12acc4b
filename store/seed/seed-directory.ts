/** Writes the seed directory and the default policy, leaving existing records alone. */
import { DEFAULT_POLICY, type Policy } from '../../domain/policy/policy.ts';
import type { Models } from '../models.ts';
import { buildSeedDirectory } from './directory-data.ts';

/** Seeds an empty directory; returns false when one was already there. */
export async function seedDirectory(
  models: Models,
  defaultPolicy: Policy = DEFAULT_POLICY,
): Promise<boolean> {
  await models.Policy.updateOne(
    { _id: `${defaultPolicy.id}@${defaultPolicy.version}` },
    {
      $setOnInsert: {
        policyId: defaultPolicy.id,
        version: defaultPolicy.version,
        document: defaultPolicy,
        createdAt: new Date(),
        createdBy: 'system',
      },
    },
    { upsert: true },
  );
  if ((await models.Locality.estimatedDocumentCount()) > 0) return false;
  const dir = buildSeedDirectory();
  await models.Person.insertMany(
    dir.people.map((p) => ({
      _id: p.email,
      name: p.name,
      roles: p.roles,
      locality: p.locality,
      neighbourhood: p.neighbourhood,
    })),
  );
  await models.Locality.insertMany(dir.localities);
  return true;
}
