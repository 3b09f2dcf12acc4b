/** SLA policy versions (admin): list them, add a newer one, move open barriers between them. */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Actor } from '../domain/barrier/types.ts';
import { targetChanges, type Policy } from '../domain/policy/policy.ts';
import { addPolicy, getPolicy, latestPolicy, listPolicies } from '../store/policy-store.ts';
import type { PolicyMoveDoc } from '../store/models.ts';
import {
  policyMoveWorkflow,
  policyMoveWorkflowId,
} from '../workflows/policy/policy-move-workflow.ts';
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

/** A move of open barriers from one version to another, and how far it has got. */
export interface PolicyMoveView {
  id: string;
  policyId: string;
  from: number;
  to: number;
  status: 'moving' | 'done';
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  changes: string[];
  /** Barriers planned, processed so far, moved, and not moved (with why). */
  total: number;
  done: number;
  migrated: string[];
  skipped: { id: string; reason: string }[];
}

const moveView = (doc: PolicyMoveDoc): PolicyMoveView => ({
  id: doc._id,
  policyId: doc.policyId,
  from: doc.from,
  to: doc.to,
  status: doc.status === 'done' ? 'done' : 'moving',
  startedBy: doc.startedBy,
  startedAt: doc.startedAt.toISOString(),
  finishedAt: doc.finishedAt ? doc.finishedAt.toISOString() : null,
  changes: doc.changes,
  total: doc.barrierIds.length,
  done: doc.done,
  migrated: doc.migrated,
  skipped: doc.skipped as { id: string; reason: string }[],
});

/**
 * Starts moving every barrier in `plan` onto its target version, as a
 * workflow (workflows/policy): each barrier through its own workflow, so each
 * timeline records the move, a batch at a time, with progress to follow on
 * the page and in the API. A move of the same version already under way is
 * returned instead of starting another; one audit entry says what happened
 * when it ends.
 */
export async function startPolicyMove(
  deps: ServiceDeps,
  actor: Actor,
  via: Via,
  plan: MigrationPlan,
): Promise<PolicyMoveView> {
  requirePolicyAdmin(actor);
  if (!(await getPolicy(deps.models, plan.policyId, plan.to)))
    throw new NotFound(`There is no policy ${plan.policyId} version ${plan.to}.`);
  const running = await deps.models.PolicyMove.findOne({
    policyId: plan.policyId,
    from: plan.from,
    to: plan.to,
    status: 'moving',
  }).lean();
  if (running) {
    // Its workflow may never have started (Temporal was down when it was asked for).
    await startMoveWorkflow(deps, running._id, running.barrierIds.length);
    return moveView(running);
  }
  const doc = await deps.models.PolicyMove.create({
    _id: `MOVE-${randomUUID()}`,
    policyId: plan.policyId,
    from: plan.from,
    to: plan.to,
    startedBy: actor.email,
    actor: { email: actor.email, role: actor.role },
    via,
    startedAt: new Date(),
    changes: plan.changes,
    barrierIds: plan.barrierIds,
    status: 'moving',
  });
  await startMoveWorkflow(deps, doc._id, plan.barrierIds.length);
  return moveView(doc.toObject());
}

/** Starts a move's workflow; one already started (running or done) is left as it is. */
async function startMoveWorkflow(deps: ServiceDeps, moveId: string, total: number) {
  try {
    await deps.client.workflow.start(policyMoveWorkflow, {
      taskQueue: deps.taskQueue,
      workflowId: policyMoveWorkflowId(moveId),
      args: [{ moveId, total }],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** A move, by id. @throws {NotFound} when there is none. */
export async function policyMove(deps: Deps, actor: Actor, id: string): Promise<PolicyMoveView> {
  requirePolicyAdmin(actor);
  const doc = await deps.models.PolicyMove.findById(id).lean();
  if (!doc) throw new NotFound(`There is no policy move ${id}.`);
  return moveView(doc);
}
