/** /api/v1/policies (admin): SLA policy versions. */
import { Router } from 'express';
import { newPolicySchema } from '../../domain/barrier/schemas.ts';
import type { Services } from '../../services/create-services.ts';
import { parseInput } from '../../services/errors.ts';
import { requirePolicyAdmin } from '../../services/policies.ts';
import { actorOf } from '../auth.ts';
import { policyCreatedResource, policyListResource } from '../resources.ts';
import { sendResource } from '../respond.ts';

export function policiesRouter(services: Services): Router {
  const router = Router();
  router.use((req, _res, next) => {
    requirePolicyAdmin(actorOf(req));
    next();
  });

  router.get('/', async (req, res) => {
    sendResource(res, policyListResource, {
      items: await services.policies.versions(actorOf(req)),
    });
  });

  router.post('/', async (req, res) => {
    const policy = parseInput(newPolicySchema, req.body, 'body');
    await services.policies.add(actorOf(req), 'api', policy);
    res.location(`/api/v1/policies`);
    sendResource(
      res,
      policyCreatedResource,
      { id: policy.id, version: policy.version, policy },
      201,
    );
  });
  return router;
}
