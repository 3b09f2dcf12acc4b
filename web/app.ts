/**
 * The pages: server-rendered GOV.UK Design System pages for locality leads,
 * neighbourhood leads and GMCA staff. This file holds what every page shares
 * (assets, form parsing, CSRF, the signed-in person, the 404 and error pages);
 * each area's routes are in routes/, their view models in presenters/.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express, {
  Router,
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import multer from 'multer';
import { MAX_IMPORT_BYTES, MAX_IMPORT_SIZE } from '../services/imports.ts';
import { pageErrorHandler } from './errors.ts';
import { GOVUK, MOJ, createPageKit, type PageKit, type User, type WebDeps } from './kit.ts';
import { adminAuditRoutes } from './routes/admin/audit.ts';
import { adminLocalityRoutes } from './routes/admin/localities.ts';
import { adminWebhookRoutes } from './routes/admin/webhooks.ts';
import { adminPeopleRoutes } from './routes/admin/people.ts';
import { adminPolicyRoutes } from './routes/admin/policies.ts';
import { askPackRoutes } from './routes/ask-pack.ts';
import { askRoutes } from './routes/asks.ts';
import { openRoutes } from './routes/open.ts';
import { publishRoutes } from './routes/publish.ts';
import { barrierRoutes } from './routes/barrier.ts';
import { barrierListRoutes } from './routes/barriers.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { devMailboxRoutes } from './routes/dev-mailbox.ts';
import { importRoutes } from './routes/import.ts';
import { raiseRoutes } from './routes/raise.ts';
import { signInRoutes } from './routes/sign-in.ts';
import { triageRoutes } from './routes/triage.ts';
import { nulCharacterAt } from '../services/errors.ts';
import { NoAccess } from '../services/identity.ts';
import { csrfValid, currentSession } from './session.ts';

export type { WebDeps } from './kit.ts';

const OWN_ASSETS = fileURLToPath(new URL('./assets/', import.meta.url));

/** What a page says of an upload whose form could not be parsed. */
const UNREADABLE_UPLOAD = 'The file could not be read';

/**
 * Parses a multipart form with one file (`upload`). A file over `limit` bytes,
 * or a form busboy cannot parse (cut off part-way: "Unexpected end of form";
 * malformed: "Boundary not found"), becomes `res.locals.uploadError` for the
 * page to show at 400, not a 500: the fault is in what was sent. When the form
 * broke before its CSRF token arrived, there is no form to show it on, so the
 * answer is a 400 page saying so (nothing has been changed).
 */
function fileUpload(kit: PageKit, limit: number, tooBig: string): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: limit, files: 1, fields: 40, fieldSize: 100_000 },
  }).single('upload');
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (err === undefined || err === null) {
        next();
        return;
      }
      if (err instanceof multer.MulterError) {
        res.locals.uploadError = err.code === 'LIMIT_FILE_SIZE' ? tooBig : UNREADABLE_UPLOAD;
        next();
        return;
      }
      // memoryStorage writes nowhere: any other error is busboy refusing the body it was sent.
      kit.deps.logger.info('upload refused', {
        path: req.path,
        reason: err instanceof Error ? err.message : 'unknown',
      });
      res.locals.uploadError = UNREADABLE_UPLOAD;
      const body = req.body as Record<string, unknown> | undefined;
      if (typeof body?._csrf === 'string') {
        next();
        return;
      }
      kit.message(req, res, 400, {
        title: UNREADABLE_UPLOAD,
        message:
          'The upload was cut off or was not a form with a file. Nothing has been changed. Go back and choose the file again.',
        link: { href: req.path, text: 'Try again' },
      });
    });
  };
}

/**
 * The signed-in person as the directory makes them now, or null. A session
 * whose person the directory no longer lets in leaves `res.locals.noAccess`.
 */
async function currentUser(deps: WebDeps, req: Request, res: Response): Promise<User | null> {
  const session = await currentSession(deps.services, req, deps.session);
  if (!session) return null;
  try {
    const { actor, name, roles } = await deps.services.identity.resolve(
      { email: session.email },
      session.actingAs,
      { fallBack: true },
    );
    return { ...actor, name, roles, sessionId: session._id };
  } catch (err) {
    if (!(err instanceof NoAccess)) throw err;
    res.locals.noAccess = err;
    return null;
  }
}

/** Pages someone without access may still use. */
const OPEN_TO_ALL = new Set(['/sign-in', '/sign-in/callback', '/sign-out', '/signed-out']);

/**
 * The pages' router, and the error handler that answers any error on a page
 * path with a page (mounted after it, so it also catches errors raised before
 * the router, such as the rate limiter's).
 */
export function createWeb(deps: WebDeps): {
  router: Router;
  /** The open register's pages, for server/ to mount at /open outside the sessions. */
  openRouter: Router;
  /** Their errors, as pages of the open register. */
  openErrorHandler: ErrorRequestHandler;
  errorHandler: ErrorRequestHandler;
} {
  const kit = createPageKit(deps);
  const router = Router();

  router.use('/assets', express.static(`${GOVUK}govuk/assets`, { maxAge: '1d' }));
  router.use('/assets', express.static(`${GOVUK}govuk`, { maxAge: '1d', index: false }));
  router.use('/assets', express.static(OWN_ASSETS, { maxAge: '1h' }));
  router.use('/assets', express.static(`${MOJ}moj/assets`, { maxAge: '1d' }));
  router.use('/assets/moj', express.static(`${MOJ}moj`, { maxAge: '1d', index: false }));

  router.use((_req, res, next) => {
    res.locals.cspNonce ??= randomBytes(16).toString('base64');
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 100 }));
  // Forms with a file (parsed before the CSRF check): a policy document, a barrier log.
  router.post(
    '/admin/policies/new',
    fileUpload(kit, 100_000, 'The file must be smaller than 100 KB'),
  );
  router.post(
    '/import',
    fileUpload(kit, MAX_IMPORT_BYTES, `The file must be smaller than ${MAX_IMPORT_SIZE}`),
  );
  router.use((req, res, next) => {
    currentUser(deps, req, res).then((user) => {
      res.locals.user = user;
      const noAccess = res.locals.noAccess as NoAccess | undefined;
      if (
        noAccess &&
        !OPEN_TO_ALL.has(req.path) &&
        !(req.method === 'POST' && req.path === '/sign-out')
      ) {
        kit.noAccess(req, res, noAccess);
        return;
      }
      // Forms post back here: a stale or forged CSRF token changes nothing.
      if (req.method === 'POST' && !csrfValid(req, deps.session)) {
        kit.message(req, res, 403, {
          title: 'Your form expired',
          message:
            'For your security the form could not be accepted. Go back, reload the page and try again.',
        });
        return;
      }
      // No text may hold a NUL character (nor can PostgreSQL store one): refused, not a 500.
      if (nulCharacterAt(req.query) !== null || nulCharacterAt(req.body) !== null) {
        kit.message(req, res, 400, {
          title: 'That could not be accepted',
          message:
            'What was sent holds a NUL character, which no text in Golden Thread may contain. Nothing was changed. Go back, remove it and try again.',
        });
        return;
      }
      next();
    }, next);
  });

  router.use(signInRoutes(kit));
  router.use(barrierListRoutes(kit));
  router.use(raiseRoutes(kit));
  router.use(barrierRoutes(kit));
  router.use(triageRoutes(kit));
  router.use(askRoutes(kit));
  router.use(askPackRoutes(kit));
  router.use(publishRoutes(kit));
  router.use(dashboardRoutes(kit));
  router.use(importRoutes(kit));
  router.use(adminPeopleRoutes(kit));
  router.use(adminLocalityRoutes(kit));
  router.use(adminPolicyRoutes(kit));
  router.use(adminAuditRoutes(kit));
  router.use(adminWebhookRoutes(kit));
  if (deps.devMailbox) router.use(devMailboxRoutes(kit, deps.devMailbox));

  router.use((req, res) => {
    kit.message(req, res, 404, {
      title: 'Page not found',
      message: `There is nothing at ${req.path}.`,
      link: { href: '/barriers', text: 'Go to barriers' },
    });
  });
  return {
    router,
    openRouter: openRoutes(kit),
    openErrorHandler: pageErrorHandler(kit, deps.logger, (_req, res, status, page) =>
      kit.renderOpen(res, 'open/message', status, {
        title: page.title,
        paragraphs: [page.message],
      }),
    ),
    errorHandler: pageErrorHandler(kit, deps.logger),
  };
}
