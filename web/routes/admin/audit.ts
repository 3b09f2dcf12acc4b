/** Administration: the audit log, filterable, and as CSV with the same filters. */
import { Router } from 'express';
import { auditCsv, auditFilterSchema } from '../../../services/audit.ts';
import { fieldProblems } from '../../../services/errors.ts';
import type { PageKit } from '../../kit.ts';
import { auditRows, errorSummary } from '../../presenters/admin.ts';
import { formErrors } from '../../presenters/form-errors.ts';
import { withDateInputs } from '../../presenters/audit.ts';

const FILTERS = ['actor', 'action', 'target', 'from', 'to'];

export function adminAuditRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();

  /** The filters from the query, empty ones dropped. */
  const filtersOf = (query: Record<string, unknown>) =>
    Object.fromEntries(
      FILTERS.flatMap((f) =>
        typeof query[f] === 'string' && query[f] !== '' ? [[f, query[f]]] : [],
      ),
    );

  router.get(
    '/admin/audit',
    kit.admin(async (req, res, user) => {
      const values = filtersOf(withDateInputs(req.query));
      const parsed = auditFilterSchema.safeParse(values);
      const fieldErrors = parsed.success
        ? {}
        : formErrors(fieldProblems('query', parsed.error), FILTERS);
      const entries = parsed.success ? await services.audit.list(user, parsed.data) : [];
      if (!parsed.success) res.status(400);
      kit.render(req, res, 'admin/audit', {
        title: 'Audit log',
        values,
        fieldErrors,
        errors: errorSummary(fieldErrors, FILTERS),
        csvHref: `/admin/audit.csv?${new URLSearchParams(values).toString()}`,
        head: ['When', 'Who', 'What', 'Target', 'Before', 'After', 'Through'],
        rows: auditRows(entries),
        count: entries.length,
      });
    }),
  );

  router.get(
    '/admin/audit.csv',
    kit.admin(async (req, res, user) => {
      const parsed = auditFilterSchema.safeParse(filtersOf(withDateInputs(req.query)));
      if (!parsed.success) {
        kit.message(req, res, 400, {
          title: 'Those filters are not valid',
          message: 'Go back to the audit log and correct them.',
          link: { href: '/admin/audit', text: 'Audit log' },
        });
        return;
      }
      res
        .type('text/csv; charset=utf-8')
        .attachment('golden-thread-audit.csv')
        .send(auditCsv(await services.audit.list(user, parsed.data)));
    }),
  );

  router.get(
    '/admin',
    kit.admin((req, res) => {
      kit.render(req, res, 'admin/index', { title: 'Administration' });
      return Promise.resolve();
    }),
  );

  return router;
}
