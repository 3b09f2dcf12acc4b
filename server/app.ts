/**
 * createApp(deps): the one composition of the HTTP side — request logging,
 * security headers, health, rate limits, the JSON API under /api/v1 and the
 * pages — without listening, so the API process, `npm start` and tests all
 * build the same app. api/ and web/ never import each other; this joins them.
 */
import { AsyncResource } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import express, { type ErrorRequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { apiRouter } from '../api/router.ts';
import { openDataRouter } from '../api/routers/open-data.ts';
import { accessTokenVerifier } from '../auth/access-tokens.ts';
import { bearerAuthenticator } from '../auth/bearer.ts';
import type { OidcClient } from '../auth/oidc.ts';
import type { OidcConfig } from '../config.ts';
import { notFound, problemHandler } from '../api/problem.ts';
import type { SmtpSink } from '../notify/smtp-sink.ts';
import type { Logger } from '../services/logger.ts';
import type { Services } from '../services/create-services.ts';
import { createWeb } from '../web/app.ts';
import { httpMetrics } from '../observability/metrics/http.ts';
import { httpServerSpans } from '../observability/tracing/http-server.ts';
import { healthRouter, type ReadinessProbes } from './health.ts';
import { addressKey, credentialKey, rateLimit } from './rate-limit.ts';
import { requestId } from './request-id.ts';

export interface AppDeps {
  /** Every use case: the only way the HTTP side reaches data and Temporal. */
  services: Services;
  logger: Logger;
  /** Signs development tokens, CSRF tokens and the sign-in cookie. */
  authSecret: string;
  /** The organisation's OpenID provider: page sign-in and API access tokens. */
  oidc?: { client: OidcClient; config: OidcConfig };
  sessions?: { idleMinutes: number; maxHours: number };
  publicBaseUrl?: string;
  readiness: ReadinessProbes;
  /** Development only: the embedded SMTP sink whose mailbox page to serve. */
  devMailbox?: SmtpSink;
  /** Production: secure cookies, HSTS, no development sign-in. */
  production?: boolean;
  /** Check each API answer against its schema (default: outside production). */
  checkResponses?: boolean;
  rateLimits?: { perMinute: number; signInPerMinute: number };
  /** Tracing is on in this process: each request gets a span (observability/tracing/http-server.ts). */
  traced?: boolean;
}

export function createApp(deps: AppDeps): express.Express {
  const authenticate = bearerAuthenticator({
    devSecret: deps.production ? undefined : deps.authSecret,
    accessTokens:
      deps.oidc &&
      accessTokenVerifier({
        issuer: deps.oidc.config.issuer,
        audience: deps.oidc.config.audience,
        emailClaim: deps.oidc.config.emailClaim,
        jwksUri: () => deps.oidc!.client.jwksUri(),
      }),
  });
  const session = {
    secret: deps.authSecret,
    secure: Boolean(deps.production),
    ...(deps.sessions ?? { idleMinutes: 60, maxHours: 10 }),
  };
  const app = express();
  app.disable('x-powered-by');
  // Every answer is Cache-Control: no-store (below), so an ETag would only cost a hash of each body.
  app.disable('etag');
  app.set('query parser', 'simple');
  // First, so everything a request does (its request id too) is under its span.
  if (deps.traced) app.use(httpServerSpans());
  app.use(requestId());
  // Requests by route template, method and status class, and their latency (METRICS_ENABLED).
  app.use(httpMetrics());
  // One line per request: what and how it went, never headers, cookies or bodies;
  // written in the request's context, so with its request id and trace.
  app.use((req, res, next) => {
    const started = performance.now();
    res.on(
      'finish',
      AsyncResource.bind(() => {
        deps.logger.info('request', {
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          actor: (req as { actor?: { email: string } }).actor?.email,
        });
      }),
    );
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
          // Signing out posts here and is redirected to the provider's end-session page.
          formAction: ["'self'", ...(deps.oidc ? [new URL(deps.oidc.config.issuer).origin] : [])],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: deps.production ? [] : null,
        },
      },
      strictTransportSecurity: deps.production ? undefined : false,
    }),
  );
  app.use(healthRouter(deps.readiness));
  // A request reads the read-model stamps once, when it first needs one; one that
  // writes takes only the directory's from that snapshot (store/read-cache.ts).
  app.use((req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') deps.services.requests.withReadStamps(next);
    else deps.services.requests.withReadStamps(next, ['directory']);
  });
  const limits = deps.rateLimits ?? { perMinute: 1200, signInPerMinute: 20 };
  app.post(
    '/sign-in',
    rateLimit({
      perMinute: limits.signInPerMinute,
      key: addressKey,
      what: 'sign-in attempts',
    }),
  );
  const limited = rateLimit({
    perMinute: limits.perMinute,
    key: credentialKey(deps.services, authenticate, session),
    what: 'requests',
  });
  // The open register counts its own (by address: it reads no session), to the same limit.
  app.use((req, res, next) => {
    if (req.path === '/open' || req.path.startsWith('/open/')) next();
    else limited(req, res, next);
  });

  const publicBaseUrl = deps.publicBaseUrl ?? 'http://localhost:3000';
  // The API answers in problem+json, whatever went wrong.
  app.use(
    '/api/v1',
    apiRouter({ ...deps, authenticate, publicBaseUrl }),
    problemHandler(deps.logger),
  );
  app.use('/api', (req, _res, next) => next(notFound(`Nothing at ${req.originalUrl}.`)));
  app.use('/api', problemHandler(deps.logger));
  // Everything else is a page, and so is every error there (the rate limiter's 429 too).
  const web = createWeb({
    ...deps,
    session,
    oidc: deps.oidc?.client,
    devSignIn: !deps.production && !deps.oidc,
    publicBaseUrl,
  });
  app.use(
    '/open',
    openRegisterApp(deps.services, web, publicBaseUrl, deps.logger, limits.perMinute),
  );
  app.use(web.router, web.errorHandler);
  return app;
}

/**
 * The open register at /open, for anyone: its data files (problem+json when
 * a filter is wrong) and its pages. A sub-application of its own, so that
 * here alone answers may be cached and carry a strong ETag: Express then
 * answers a poll that matches the ETag or Last-Modified with 304 and no body.
 */
function openRegisterApp(
  services: Services,
  web: ReturnType<typeof createWeb>,
  publicBaseUrl: string,
  logger: Logger,
  perMinute: number,
): express.Express {
  const open = express();
  open.disable('x-powered-by');
  open.set('etag', 'strong');
  open.set('query parser', 'simple');
  open.use((_req, res, next) => {
    // Cached, but checked each time: a withdrawal must not linger in anyone's cache.
    res.set('Cache-Control', 'public, no-cache');
    next();
  });
  open.use(rateLimit({ perMinute, key: addressKey, what: 'requests' }));
  open.use(openDataRouter(services, publicBaseUrl));
  open.use(web.openRouter);
  // A data file's error is problem+json (as the OpenAPI document says); a page's, a page.
  const problems = problemHandler(logger);
  open.use(((err, req, res, next) => {
    if (/\.(json|csv|atom)$/.test(req.path)) problems(err, req, res, next);
    else web.openErrorHandler(err, req, res, next);
  }) satisfies ErrorRequestHandler);
  return open;
}
