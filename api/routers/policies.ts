/** /api/v1/policies (admin): SLA policy versions. */
import { Router } from 'express';
import { newPolicySchema } from '../../domain/barrier/schemas.ts';
import type { Models } from '../../store/models.ts';
import { addPolicy, latestPolicy, listPolicies } from '../../store/policy-store.ts';
import { actorOf } from '../auth.ts';
import { conflict, forbidden, parseOr400 } from '../problem.ts';

export function policiesRouter(models: Models): Router {
  const router = Router();
  router.use((req, _res, next) => {
    if (actorOf(req).role !== 'admin')
      throw forbidden('Only an admin may read or change SLA policies.');
    next();
  });

  router.get('/', async (_req, res) => {
    const docs = await listPolicies(models);
    res.json({
      items: docs.map((d) => ({
        id: d.policyId,
        version: d.version,
        createdAt: d.createdAt.toISOString(),
        createdBy: d.createdBy,
        policy: d.document as unknown,
      })),
    });
  });

  router.post('/', async (req, res) => {
    const actor = actorOf(req);
    const policy = parseOr400(newPolicySchema, req.body, 'body');
    const latest = await latestPolicy(models, policy.id);
    if (latest && policy.version <= latest.version) {
      throw conflict(
        `Policy ${policy.id} is already at version ${latest.version}; a new version must be higher.`,
      );
    }
    if (!(await addPolicy(models, policy, actor.email)))
      throw conflict(`Policy ${policy.id} version ${policy.version} already exists.`);
    res
      .status(201)
      .location(`/api/v1/policies`)
      .json({ id: policy.id, version: policy.version, policy });
  });
  return router;
}
