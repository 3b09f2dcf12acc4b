/** /api/v1/audit: the administrative changes, as JSON or CSV (admin). */
import { Router } from 'express';
import { auditCsv, auditFilterSchema, listAudit } from '../../services/audit.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { parseInput } from '../../services/errors.ts';
import { actorOf } from '../auth.ts';
import { auditLogResource } from '../resources.ts';
import { sendResource } from '../respond.ts';

export function auditRouter(deps: Pick<ServiceDeps, 'models'>): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const filter = parseInput(auditFilterSchema, req.query, 'query');
    const items = await listAudit(deps, actorOf(req), filter);
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
