/** The barriers list: what the person may see, filtered and sorted. */
import { Router } from 'express';
import { canRaise } from '../../domain/barrier/access.ts';
import { listVisibleBarriers } from '../../services/barriers.ts';
import type { PageKit } from '../kit.ts';
import { barrierListView, listFilters, listQuery } from '../presenters/barrier-list.ts';

export function barrierListRoutes(kit: PageKit): Router {
  const router = Router();
  router.get(
    '/barriers',
    kit.signedIn(async (req, res, user) => {
      const filters = listFilters(req.query);
      const page = await listVisibleBarriers(kit.deps, user, listQuery(filters));
      const view = barrierListView(
        user,
        filters,
        page,
        canRaise(user, user.locality ?? ''),
        Date.now(),
      );
      kit.render(req, res, 'barriers', view);
    }),
  );
  return router;
}
