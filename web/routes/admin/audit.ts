/** Administration: the audit log, filterable, and as CSV with the same filters. */
import { Router } from 'express';
import { auditCsv, auditFilterSchema } from '../../../services/audit.ts';
import { fieldProblems } from '../../../services/errors.ts';
import type { PageKit } from '../../kit.ts';
import { auditRows, errorSummary } from '../../presenters/admin.ts';
import { formErrors } from '../../presenters/form-errors.ts';
import { AUDIT_CSV_HEADINGS, auditPagesView, withDateInputs } from '../../presenters/audit.ts';
import { pageAsked } from '../../presenters/pagination.ts';

/** How many entries the audit page shows at a time. */
const AUDIT_PAGE_SIZE = 25;

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
      const page = parsed.success
        ? await services.audit.page(user, parsed.data, pageAsked(req.query.page), AUDIT_PAGE_SIZE)
        : { items: [], total: 0, number: 1, size: AUDIT_PAGE_SIZE };
      const ctx = page.items.length
        ? await services.audit.context(user, page.items)
        : { names: new Map<string, string>(), policies: new Map() };
      if (!parsed.success) res.status(400);
      const query = new URLSearchParams(values).toString();
      kit.render(req, res, 'admin/audit', {
        title: 'Audit log',
        values,
        fieldErrors,
        errors: errorSummary(fieldErrors, FILTERS),
        csvHref: `/admin/audit.csv?${query}`,
        rows: auditRows(page.items, ctx),
        ...auditPagesView(page, query),
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
        .send(auditCsv(await services.audit.list(user, parsed.data), AUDIT_CSV_HEADINGS));
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
