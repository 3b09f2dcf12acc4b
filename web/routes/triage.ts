/** GMCA's triage queue, in the order the service (and the API) gives it. */
import { Router } from 'express';
import { canRunAsks } from '../../domain/barrier/access.ts';
import { triageQueue } from '../../services/triage.ts';
import type { PageKit } from '../kit.ts';
import { triageView } from '../presenters/triage.ts';

export function triageRoutes(kit: PageKit): Router {
  const router = Router();
  router.get(
    '/triage',
    kit.signedIn(async (req, res, user) => {
      if (!canRunAsks(user)) {
        kit.message(req, res, 403, {
          title: 'Triage is for GMCA staff',
          message: 'Only GMCA triage staff see the triage queue.',
        });
        return;
      }
      const queue = await triageQueue(kit.deps, user);
      kit.render(req, res, 'list', triageView(queue, Date.now()));
    }),
  );
  return router;
}
