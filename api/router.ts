/**
 * The JSON API under /api/v1: its OpenAPI document, JSON bodies only, bearer
 * authentication, one router per resource, and problem+json for everything
 * that goes wrong (mounted by the top-level composition in server/).
 */
import express, { Router, type RequestHandler } from 'express';
import type { BearerAuthenticator } from '../auth/bearer.ts';
import type { Services } from '../services/create-services.ts';
import { requireAuth } from './auth.ts';
import { openApiDocument } from './openapi.ts';
import { HttpProblem, notFound } from './problem.ts';
import { asksRouter } from './routers/asks.ts';
import { auditRouter } from './routers/audit.ts';
import { barriersRouter } from './routers/barriers.ts';
import { directoryRouter } from './routers/directory.ts';
import { csvBody, importsRouter } from './routers/imports.ts';
import { meRouter } from './routers/me.ts';
import { openDataRouter } from './routers/open-data.ts';
import { policiesRouter } from './routers/policies.ts';
import { triageRouter } from './routers/triage.ts';
import { webhooksRouter } from './routers/webhooks.ts';

export interface ApiDeps {
  /** Every use case: the only way the API reaches data and Temporal. */
  services: Services;
  /** Proves who a bearer token's caller is (the directory then decides what they may do). */
  authenticate: BearerAuthenticator;
  production?: boolean;
  /** Check each answer against its resource schema before sending (default: outside production). */
  checkResponses?: boolean;
  /** Where people reach Golden Thread: the open register's links. */
  publicBaseUrl?: string;
}

/** Bodies must be JSON: anything else is a 415, not a confusing validation error. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
  if (
    (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') &&
    hasBody &&
    !req.is('application/json') &&
    // The one body that is not JSON: a barrier log to import, as CSV.
    !(req.method === 'POST' && req.path === '/imports' && req.is('text/csv'))
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

export function apiRouter(deps: ApiDeps): Router {
  const api = Router();
  const openapi = openApiDocument();
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  api.use((_req, res, next) => {
    res.locals.checkResponses = deps.checkResponses ?? !deps.production;
    next();
  });
  api.use(requireJsonBody);
  api.use(express.json({ limit: '100kb', strict: true }));
  api.post('/imports', csvBody);
  // The open register's data: for anyone, so before authentication.
  api.use('/open', openDataRouter(deps.services, deps.publicBaseUrl ?? 'http://localhost:3000'));
  api.use(requireAuth(deps.services, deps.authenticate));
  api.use('/barriers', barriersRouter(deps.services));
  api.use('/policies', policiesRouter(deps.services));
  api.use('/asks', asksRouter(deps.services, deps.publicBaseUrl));
  api.use('/imports', importsRouter(deps.services));
  api.use('/webhooks', webhooksRouter(deps.services));
  api.use(triageRouter(deps.services));
  api.use(directoryRouter(deps.services));
  api.use(meRouter(deps.services));
  api.use(auditRouter(deps.services));
  // A path the API has, asked with a method it does not take: 405, saying which it takes.
  const allowed = Object.entries(openapi.paths).map(([template, ops]) => ({
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
    // A path item may also name its server (the open register's files do).
    methods: Object.keys(ops)
      .filter((m) => m !== 'servers')
      .map((m) => m.toUpperCase()),
  }));
  api.use((req, res, next) => {
    const path = allowed.find((p) => p.pattern.test(req.path));
    if (!path) {
      next();
      return;
    }
    res.set('Allow', path.methods.join(', '));
    next(
      new HttpProblem(
        405,
        'Method not allowed',
        `${req.method} is not a method of ${req.path}; it takes ${path.methods.join(', ')}.`,
        { type: 'method-not-allowed' },
      ),
    );
  });
  api.use((req) => {
    throw notFound(
      `There is no ${req.method} ${req.originalUrl} in this API; see /api/v1/openapi.json.`,
    );
  });
  return api;
}
