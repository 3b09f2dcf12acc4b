/** /api/v1/triage: GMCA's queue of escalated barriers, most urgent first, with duplicate hints. */
import { Router } from 'express';
import type { Services } from '../../services/create-services.ts';
import { parseInput } from '../../services/errors.ts';
import { actorOf } from '../auth.ts';
import { barrierResource } from '../representations.ts';
import { triageResource } from '../resources.ts';
import { sendResource } from '../respond.ts';
import { triageQuerySchema } from '../schemas.ts';

export function triageRouter(services: Services): Router {
  const router = Router();
  router.get('/triage', async (req, res) => {
    const actor = actorOf(req);
    const { limit, cursor, ...filters } = parseInput(triageQuerySchema, req.query, 'query');
    const page = await services.triage.queue(actor, filters, { limit, cursor });
    sendResource(res, triageResource, {
      items: page.entries.map((e) => ({
        ...barrierResource(e.barrier),
        localitiesSharing: e.localitiesSharing,
        likelyDuplicates: e.likelyDuplicates,
        likelyDuplicateCount: e.likelyDuplicateCount,
      })),
      total: page.total,
      nextCursor: page.nextCursor,
    });
  });
  return router;
}
