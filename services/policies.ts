/** SLA policy versions (admin): list them, add a newer one. */
import type { Actor } from '../domain/barrier/barrier-machine.ts';
import type { Policy } from '../domain/policy/policy.ts';
import { addPolicy, latestPolicy, listPolicies } from '../store/policy-store.ts';
import type { ServiceDeps } from './deps.ts';
import { Conflict, Forbidden } from './errors.ts';

type Deps = Pick<ServiceDeps, 'models'>;

/** @throws {Forbidden} for anyone but an admin. */
export function requirePolicyAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new Forbidden('Only an admin may read or change SLA policies.');
}

export async function listPolicyVersions(deps: Deps, actor: Actor) {
  requirePolicyAdmin(actor);
  const docs = await listPolicies(deps.models);
  return docs.map((d) => ({
    id: d.policyId,
    version: d.version,
    createdAt: d.createdAt.toISOString(),
    createdBy: d.createdBy,
    policy: d.document as unknown,
  }));
}

/** Stores a new version. @throws {Conflict} unless it is newer than every stored version. */
export async function addPolicyVersion(deps: Deps, actor: Actor, policy: Policy): Promise<void> {
  requirePolicyAdmin(actor);
  const latest = await latestPolicy(deps.models, policy.id);
  if (latest && policy.version <= latest.version) {
    throw new Conflict(
      `Policy ${policy.id} is already at version ${latest.version}; a new version must be higher.`,
    );
  }
  if (!(await addPolicy(deps.models, policy, actor.email)))
    throw new Conflict(`Policy ${policy.id} version ${policy.version} already exists.`);
}
