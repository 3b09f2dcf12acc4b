/** GMCA's triage queue, in the order the service (and the API) gives it. */
import { Router } from 'express';
import { canTriage } from '../../domain/access.ts';
import { triageCursorSchema } from '../../domain/triage/cursor.ts';
import type { PageKit } from '../kit.ts';
import { triageView } from '../presenters/triage.ts';

/** Rows on a page of the triage queue. */
const TRIAGE_PAGE = 50;

export function triageRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();
  router.get(
    '/triage',
    kit.signedIn(async (req, res, user) => {
      if (!canTriage(user)) {
        kit.message(req, res, 403, {
          title: 'Triage is for GMCA staff',
          message: 'Only GMCA triage staff see the triage queue.',
        });
        return;
      }
      const cursor = triageCursorSchema.safeParse(req.query.cursor);
      // A cursor that is not one of ours (an old bookmark, an edited link) starts from the top.
      const page = await services.triage.queue(
        user,
        {},
        { limit: TRIAGE_PAGE, cursor: cursor.success ? cursor.data : undefined },
      );
      kit.render(req, res, 'list', triageView(page, Date.now()));
    }),
  );
  return router;
}
