/** The Whitehall asks register and each ask. */
import { Router } from 'express';
import { searchText } from '../../domain/search.ts';
import { toCsv } from '../../services/csv.ts';
import { askCsvRows } from '../../services/exports.ts';
import type { PageKit } from '../kit.ts';
import {
  ASKS_PAGE_SIZE,
  askPageView,
  askRegisterView,
  peopleOnAskPage,
} from '../presenters/asks.ts';
import { pageAsked } from '../presenters/pagination.ts';

export function askRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();
  router.get(
    '/asks',
    kit.signedIn(async (req, res, user) => {
      const q = searchText(req.query.q);
      const page = await services.asks.page(
        user,
        { q },
        { number: pageAsked(req.query.page), size: ASKS_PAGE_SIZE },
      );
      kit.render(req, res, 'list', askRegisterView(page, q));
    }),
  );
  router.get(
    '/asks.csv',
    kit.signedIn(async (req, res, user) => {
      const { header, rows } = askCsvRows(
        await services.asks.all(user, { q: searchText(req.query.q) }),
      );
      res
        .type('text/csv; charset=utf-8')
        .attachment('whitehall-asks.csv')
        .send(toCsv(header, rows));
    }),
  );
  router.get(
    '/asks/:id',
    kit.signedIn(async (req, res, user) => {
      const a = await services.asks.visible(user, String(req.params.id));
      const detail = await services.asks.detail(a);
      const names = await services.barriers.namesOf(peopleOnAskPage(detail));
      kit.render(req, res, 'list', askPageView(detail, names));
    }),
  );
  return router;
}
