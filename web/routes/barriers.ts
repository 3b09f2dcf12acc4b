/** The barriers list: what the person may see, filtered and sorted. */
import { Router } from 'express';
import { canRaise } from '../../domain/access.ts';
import type { PageKit } from '../kit.ts';
import { PAGE_SIZE, barrierListView, listFilters, listQuery } from '../presenters/barrier-list.ts';

export function barrierListRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();
  router.get(
    '/barriers',
    kit.signedIn(async (req, res, user) => {
      const filters = listFilters(req.query);
      const page = await services.barriers.page(user, listQuery(filters), {
        number: filters.page,
        size: PAGE_SIZE,
      });
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
  router.get(
    '/barriers.csv',
    kit.signedIn(async (req, res, user) => {
      const csv = services.barriers.csv(user, listQuery(listFilters(req.query)));
      res.type('text/csv; charset=utf-8').attachment(csv.filename);
      await csv.write(res);
    }),
  );
  return router;
}
