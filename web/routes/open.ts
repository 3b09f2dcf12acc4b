/**
 * The open register's pages, for anyone: the published asks with filters and
 * a search, each ask's page and its evidence pack. Mounted at /open outside
 * the signed-in pages (server/app.ts): no session is read, nothing here
 * needs one, and answers carry ETag and Last-Modified.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { PACK_FORMATS } from '../../domain/ask/pack-formats.ts';
import { fieldProblems, isServiceError } from '../../services/errors.ts';
import { openRegisterQuerySchema } from '../../services/open-register/open-data.ts';
import { registerValidators } from '../../services/open-register/register.ts';
import type { PageKit } from '../kit.ts';
import { errorSummary } from '../presenters/admin.ts';
import { formErrors } from '../presenters/form-errors.ts';
import {
  openAskPageView,
  openRegisterView,
  withdrawnAskView,
} from '../presenters/open-register.ts';
import { pageAsked } from '../presenters/pagination.ts';

const FILTERS = ['q', 'department', 'outcome', 'year'] as const;

/** Sets a page's ETag and Last-Modified (services/open-register/register.ts says how). */
function validators(req: Request, res: Response, lastModified: Date | null) {
  const v = registerValidators(req.originalUrl, lastModified);
  res.set('ETag', v.etag);
  if (v.lastModified) res.set('Last-Modified', v.lastModified);
}

export function openRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();
  const notFound = (res: Response, message: string) =>
    kit.renderOpen(res, 'open/message', 404, {
      title: 'Page not found',
      paragraphs: [message],
    });
  /** A handler whose "not found" is the open register's own page. */
  const page =
    (handler: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => {
      handler(req, res).catch((err: unknown) => {
        if (isServiceError(err) && err.kind === 'not-found') notFound(res, err.detail);
        else next(err);
      });
    };

  router.get(
    '/',
    page(async (req, res) => {
      const asked = Object.fromEntries(
        FILTERS.flatMap((k) =>
          typeof req.query[k] === 'string' && req.query[k] !== '' ? [[k, req.query[k]]] : [],
        ),
      );
      const parsed = openRegisterQuerySchema.safeParse(asked);
      const filters = parsed.success ? parsed.data : {};
      const register = await services.openRegister.list(filters);
      validators(req, res, register.lastModified);
      const view = openRegisterView(register, filters, pageAsked(req.query.page));
      if (parsed.success) {
        kit.renderOpen(res, 'open/register', 200, view);
        return;
      }
      const fieldErrors = formErrors(fieldProblems('query', parsed.error), [...FILTERS]);
      kit.renderOpen(res, 'open/register', 400, {
        ...view,
        filters: { q: typeof asked.q === 'string' ? asked.q : '' },
        fieldErrors,
        errors: errorSummary(fieldErrors, FILTERS),
      });
    }),
  );
  router.get(
    '/asks/:id',
    page(async (req, res) => {
      const p = await services.openRegister.ask(String(req.params.id));
      if (p.status === 'withdrawn') {
        kit.renderOpen(res, 'open/message', 410, withdrawnAskView(p));
        return;
      }
      validators(req, res, p.publishedAt);
      kit.renderOpen(res, 'open/ask', 200, openAskPageView(p));
    }),
  );
  for (const format of PACK_FORMATS) {
    router.get(
      `/asks/:id/evidence-pack.${format}`,
      page(async (req, res) => {
        const pack = await services.openRegister.pack(String(req.params.id), format);
        validators(req, res, pack.publishedAt);
        res.type(pack.contentType).attachment(pack.filename).send(pack.body);
      }),
    );
  }
  router.use((req, res) => {
    notFound(res, `There is nothing at /open${req.path}.`);
  });
  return router;
}
