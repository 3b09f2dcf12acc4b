/** The barriers list: what the person may see, filtered and sorted. */
import { Router } from 'express';
import { canRaise } from '../../domain/barrier/access.ts';
import { exportVisibleBarriers, listVisibleBarriers } from '../../services/barriers.ts';
import { writeCsv } from '../../services/csv.ts';
import { BARRIER_CSV_HEADER, barrierCsvRow, mapRows } from '../../services/exports.ts';
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
  router.get(
    '/barriers.csv',
    kit.signedIn(async (req, res, user) => {
      const { limit: _limit, cursor: _cursor, ...query } = listQuery(listFilters(req.query));
      const rows = exportVisibleBarriers(kit.deps, user, query);
      res.type('text/csv; charset=utf-8').attachment('golden-thread-barriers.csv');
      await writeCsv(
        res,
        BARRIER_CSV_HEADER,
        mapRows(rows, (b) => barrierCsvRow(b, kit.deps.publicBaseUrl)),
      );
    }),
  );
  return router;
}
