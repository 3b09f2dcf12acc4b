/**
 * createApp(deps): the Express application, without listening, so the API
 * process, `npm start` and tests all build the same app.
 */
import { randomBytes } from 'node:crypto';
import express, { type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { Policy } from '../domain/policy/policy.ts';
import type { Models } from '../store/models.ts';
import { requireAuth } from './auth.ts';
import type { Logger } from './logger.ts';
import { openApiDocument } from './openapi.ts';
import { HttpProblem, notFound, problemHandler } from './problem.ts';
import { barriersRouter } from './routers/barriers.ts';
import { directoryRouter } from './routers/directory.ts';
import { healthRouter, type ReadinessProbes } from './routers/health.ts';
import { policiesRouter } from './routers/policies.ts';
import { meRouter } from './routers/me.ts';
import { asksRouter } from './routers/asks.ts';
import { triageRouter } from './routers/triage.ts';
import { devMailboxRouter } from './routers/dev-mailbox.ts';
import type { SmtpSink } from '../notify/smtp-sink.ts';
import { webRouter } from '../web/router.ts';
import { clientKey, rateLimit } from './rate-limit.ts';

export interface AppDeps {
  client: Client;
  taskQueue: string;
  models: Models;
  authSecret: string;
  defaultPolicy: Policy;
  logger: Logger;
  readiness: ReadinessProbes;
  /** Development only: the embedded SMTP sink whose mailbox page to serve. */
  devMailbox?: SmtpSink;
  /** Production: secure cookies, HSTS, no development sign-in. */
  production?: boolean;
  rateLimits?: { perMinute: number; signInPerMinute: number };
}

/** Bodies must be JSON: anything else is a 415, not a confusing validation error. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
  if (
    (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') &&
    hasBody &&
    !req.is('application/json')
  ) {
    next(
      new HttpProblem(415, 'Unsupported media type', 'Send the body as application/json.', {
        type: 'unsupported-media-type',
      }),
    );
    return;
  }
  next();
};

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // One line per request: what and how it went, never headers, cookies or bodies.
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      deps.logger.info('request', {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        actor: (req as { actor?: { email: string } }).actor?.email,
      });
    });
    next();
  });
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Security headers everywhere; scripts only from us (and the page's one nonce'd line).
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: [
            "'self'",
            (_req, res) => `'nonce-${String((res as Response).locals.cspNonce)}'`,
          ],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: deps.production ? [] : null,
        },
      },
      strictTransportSecurity: deps.production ? undefined : false,
    }),
  );
  app.use(healthRouter(deps.readiness));
  const limits = deps.rateLimits ?? { perMinute: 1200, signInPerMinute: 20 };
  app.post(
    '/sign-in',
    rateLimit({
      perMinute: limits.signInPerMinute,
      key: (req) => req.ip ?? '',
      what: 'sign-in attempts',
    }),
  );
  app.use(rateLimit({ perMinute: limits.perMinute, key: clientKey, what: 'requests' }));
  if (deps.devMailbox) app.use(devMailboxRouter(deps.devMailbox));

  const openapi = openApiDocument();
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  const api = express.Router();
  api.use(requireJsonBody);
  api.use(express.json({ limit: '100kb', strict: true }));
  api.use(requireAuth(deps.authSecret));
  api.use('/barriers', barriersRouter(deps));
  api.use('/policies', policiesRouter(deps.models));
  api.use('/asks', asksRouter(deps));
  api.use(triageRouter(deps.models));
  api.use(directoryRouter(deps.models));
  api.use(meRouter(deps.models));
  api.use((req) => {
    throw notFound(
      `There is no ${req.method} ${req.originalUrl} in this API; see /api/v1/openapi.json.`,
    );
  });
  app.use('/api/v1', api);
  app.use(
    webRouter({
      ...deps,
      session: { secret: deps.authSecret, secure: Boolean(deps.production) },
      devSignIn: !deps.production,
    }),
  );
  app.use((req, _res, next) => next(notFound(`Nothing at ${req.originalUrl}.`)));
  app.use(problemHandler(deps.logger));
  return app;
}
