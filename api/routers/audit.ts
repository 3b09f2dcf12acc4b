/** /api/v1/audit: the administrative changes, as JSON or CSV (admin). */
import { Router } from 'express';
import { auditCsv, auditFilterSchema } from '../../services/audit.ts';
import type { Services } from '../../services/create-services.ts';
import { parseInput } from '../../services/errors.ts';
import { actorOf } from '../auth.ts';
import { auditLogResource } from '../resources.ts';
import { sendResource } from '../respond.ts';

export function auditRouter(services: Services): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const filter = parseInput(auditFilterSchema, req.query, 'query');
    const items = await services.audit.list(actorOf(req), filter);
    if (filter.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment('golden-thread-audit.csv')
        .send(auditCsv(items));
      return;
    }
    sendResource(res, auditLogResource, { items });
  });
  return router;
}
