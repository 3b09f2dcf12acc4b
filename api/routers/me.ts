/** /api/v1/me/preferences: how the signed-in person wants non-urgent emails. */
import { Router } from 'express';
import { preferencesSchema } from '../../domain/directory/schemas.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { parseInput } from '../../services/errors.ts';
import { getPreferences, setPreferences } from '../../services/preferences.ts';
import { actorOf } from '../auth.ts';
import { preferencesResource } from '../resources.ts';
import { sendResource } from '../respond.ts';

export function meRouter(deps: Pick<ServiceDeps, 'models'>): Router {
  const router = Router();

  router.get('/me/preferences', async (req, res) => {
    sendResource(res, preferencesResource, await getPreferences(deps, actorOf(req)));
  });

  router.put('/me/preferences', async (req, res) => {
    const actor = actorOf(req);
    const body = parseInput(preferencesSchema, req.body, 'body');
    sendResource(res, preferencesResource, await setPreferences(deps, actor, body));
  });

  return router;
}
