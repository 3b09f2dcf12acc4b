/** SLA policy versions (admin): list them, add a newer one. */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/barrier/types.ts';
import { recordBulkMoveProgress } from '../observability/metrics/metrics.ts';
import { targetChanges, type Policy } from '../domain/policy/policy.ts';
import { addPolicy, getPolicy, latestPolicy, listPolicies } from '../store/policy-store.ts';
import { BarrierActionRejected, actOnBarrier } from '../workflows/barrier/lifecycle.ts';
import { requireAdmin } from './access.ts';
import { recordAudit, type Via } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { Conflict, NotFound, invalidField } from './errors.ts';

type Deps = Pick<ServiceDeps, 'models'>;

/** @throws {Forbidden} for anyone but an admin. */
export const requirePolicyAdmin = (actor: Actor): Actor =>
  requireAdmin(actor, 'read or change SLA policies');

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

/** How many open barriers each version holds, keyed `id@version`. Admins only. */
export async function openBarrierCounts(
  deps: Deps,
  actor: Actor,
  versions: readonly { id: string; version: number }[],
): Promise<Map<string, number>> {
  requirePolicyAdmin(actor);
  const counts = new Map<string, number>();
  for (const v of versions) {
    counts.set(
      `${v.id}@${v.version}`,
      await deps.models.Barrier.countDocuments({
        'policy.id': v.id,
        'policy.version': v.version,
        closedAt: null,
      }),
    );
  }
  return counts;
}

/** Stores a new version. @throws {Conflict} unless it is newer than every stored version. */
export async function addPolicyVersion(
  deps: Deps,
  actor: Actor,
  via: Via,
  policy: Policy,
): Promise<void> {
  requirePolicyAdmin(actor);
  const latest = await latestPolicy(deps.models, policy.id);
  if (latest && policy.version <= latest.version) {
    throw new Conflict(
      `Policy ${policy.id} is already at version ${latest.version}; a new version must be higher.`,
    );
  }
  if (!(await addPolicy(deps.models, policy, actor.email)))
    throw new Conflict(`Policy ${policy.id} version ${policy.version} already exists.`);
  await recordAudit(deps, actor, via, {
    action: 'policy.added',
    target: `policy:${policy.id}@${policy.version}`,
    before: latest ? { version: latest.version } : null,
    after: policy,
  });
}

/** What moving the open barriers of one version onto another would do. */
export interface MigrationPlan {
  policyId: string;
  from: number;
  to: number;
  /** Open barriers pinned to `from`. */
  barrierIds: string[];
  /** The targets that change, `stage target: from → to`. */
  changes: string[];
}

/** @throws {InvalidInput} when either version is missing or they are the same. */
export async function planMigration(
  deps: Deps,
  actor: Actor,
  policyId: string,
  from: number,
  to: number,
): Promise<MigrationPlan> {
  requirePolicyAdmin(actor);
  if (from === to)
    throw invalidField(
      'Choose two different versions.',
      'body.to',
      'must differ from the version barriers are on',
    );
  const [a, b] = await Promise.all([
    getPolicy(deps.models, policyId, from),
    getPolicy(deps.models, policyId, to),
  ]);
  if (!a)
    throw invalidField(
      `There is no policy ${policyId} version ${from}.`,
      'body.from',
      `is not a version of ${policyId}`,
    );
  if (!b)
    throw invalidField(
      `There is no policy ${policyId} version ${to}.`,
      'body.to',
      `is not a version of ${policyId}`,
    );
  const open = await deps.models.Barrier.find(
    { 'policy.id': policyId, 'policy.version': from, closedAt: null },
    { _id: 1 },
  )
    .sort({ _id: 1 })
    .lean();
  return { policyId, from, to, barrierIds: open.map((x) => x._id), changes: targetChanges(a, b) };
}

/**
 * Moves every barrier in `plan` onto its target version, each through its
 * workflow (so each barrier's timeline records the change), a few at a time.
 * Barriers closed meanwhile are skipped. One audit entry says what happened.
 */
export async function migrateBarriers(
  deps: ServiceDeps,
  actor: Actor,
  via: Via,
  plan: MigrationPlan,
): Promise<{ migrated: string[]; skipped: { id: string; reason: string }[] }> {
  requirePolicyAdmin(actor);
  const policy = await getPolicy(deps.models, plan.policyId, plan.to);
  if (!policy) throw new NotFound(`There is no policy ${plan.policyId} version ${plan.to}.`);
  const migrated: string[] = [];
  const skipped: { id: string; reason: string }[] = [];
  const queue = [...plan.barrierIds];
  const moveId = `${plan.policyId}@${plan.to}:${randomUUID()}`;
  let finished = 0;
  recordBulkMoveProgress(0, queue.length, moveId);
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        await actOnBarrier(deps.client, id, { type: 'migrate-policy', policy }, actor);
        migrated.push(id);
      } catch (err) {
        if (!(err instanceof BarrierActionRejected)) throw err;
        skipped.push({ id, reason: err.message });
      }
      recordBulkMoveProgress(1, plan.barrierIds.length - ++finished, moveId);
    }
  };
  try {
    await Promise.all(Array.from({ length: 4 }, worker));
  } finally {
    recordBulkMoveProgress(0, 0, moveId);
  }
  await recordAudit(deps, actor, via, {
    action: 'policy.barriers-migrated',
    target: `policy:${plan.policyId}@${plan.to}`,
    before: { version: plan.from, barriers: plan.barrierIds.length },
    after: { version: plan.to, migrated: migrated.sort(), skipped },
  });
  return { migrated, skipped };
}
