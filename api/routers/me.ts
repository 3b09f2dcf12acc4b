/** /api/v1/me/preferences: how the signed-in person wants non-urgent emails. */
import { Router } from 'express';
import { preferencesSchema } from '../../domain/directory/schemas.ts';
import type { Services } from '../../services/create-services.ts';
import { parseInput } from '../../services/errors.ts';
import { actorOf } from '../auth.ts';
import { preferencesResource } from '../resources.ts';
import { sendResource } from '../respond.ts';

export function meRouter(services: Services): Router {
  const router = Router();

  router.get('/me/preferences', async (req, res) => {
    sendResource(res, preferencesResource, await services.preferences.get(actorOf(req)));
  });

  router.put('/me/preferences', async (req, res) => {
    const actor = actorOf(req);
    const body = parseInput(preferencesSchema, req.body, 'body');
    sendResource(res, preferencesResource, await services.preferences.set(actor, body));
  });

  return router;
}
