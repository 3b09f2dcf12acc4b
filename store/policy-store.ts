/** Policy versions in the store. The barrier workflow pins a whole document at start. */
import { readFileSync } from 'node:fs';
import { PolicyError, parsePolicy, type Policy } from '../domain/policy/policy.ts';
import type { Models } from './models.ts';
import { isDuplicateKey } from './store.ts';

export const policyKey = (id: string, version: number) => `${id}@${version}`;

/** The newest version of a policy, or undefined. */
export async function latestPolicy(models: Models, policyId: string): Promise<Policy | undefined> {
  const doc = await models.Policy.findOne({ policyId }).sort({ version: -1 }).lean();
  return doc ? parsePolicy(doc.document) : undefined;
}

export async function getPolicy(
  models: Models,
  policyId: string,
  version: number,
): Promise<Policy | undefined> {
  const doc = await models.Policy.findById(policyKey(policyId, version)).lean();
  return doc ? parsePolicy(doc.document) : undefined;
}

export async function listPolicies(models: Models) {
  return models.Policy.find().sort({ policyId: 1, version: -1 }).lean();
}

/** Stores a new version; false when that id and version already exist. */
export async function addPolicy(
  models: Models,
  policy: Policy,
  createdBy: string,
): Promise<boolean> {
  try {
    await models.Policy.create({
      _id: policyKey(policy.id, policy.version),
      policyId: policy.id,
      version: policy.version,
      document: policy,
      createdAt: new Date(),
      createdBy,
    });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Reads and validates SLA_POLICY_FILE; a bad file is a PolicyError naming the field. */
export function loadPolicyFile(path: string): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new PolicyError(
      `SLA_POLICY_FILE ${path}: cannot read it as JSON (${(err as Error).message})`,
    );
  }
  return parsePolicy(raw, `SLA_POLICY_FILE ${path}`);
}
