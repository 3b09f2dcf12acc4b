/** /api/v1/policies (admin): SLA policy versions. */
import { Router } from 'express';
import { newPolicySchema } from '../../domain/barrier/schemas.ts';
import type { Services } from '../../services/create-services.ts';
import { parseInput } from '../../services/errors.ts';
import { requirePolicyAdmin } from '../../services/policies.ts';
import { actorOf } from '../auth.ts';
import { policyCreatedResource, policyListResource, policyMoveResource } from '../resources.ts';
import { policyMoveIdSchema, policyMoveSchema } from '../schemas.ts';
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

  /** Starts a move (or returns the one of that version under way): follow it with GET. */
  router.post('/moves', async (req, res) => {
    const actor = actorOf(req);
    const body = parseInput(policyMoveSchema, req.body, 'body');
    const plan = await services.policies.planMigration(
      actor,
      body.policyId ?? services.policies.defaultPolicy.id,
      body.from,
      body.to,
    );
    const move = await services.policies.startMove(actor, 'api', plan);
    res.location(`/api/v1/policies/moves/${move.id}`);
    sendResource(res, policyMoveResource, move, 202);
  });

  router.get('/moves/:id', async (req, res) => {
    const id = parseInput(policyMoveIdSchema, req.params.id, 'path.id');
    sendResource(res, policyMoveResource, await services.policies.move(actorOf(req), id));
  });
  return router;
}
