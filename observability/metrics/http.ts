/**
 * HTTP metrics for express: each answered request counted by the route
 * template express matched (`/api/v1/barriers/:id`), never the path itself,
 * so barrier ids, search words and made-up URLs never become labels.
 */
import type { Request, RequestHandler } from 'express';
import { metricsEnabled, recordHttpRequest } from './metrics.ts';

/** The label of a request no route matched (a 404, a static file, a refusal before routing). */
export const UNMATCHED_ROUTE = '(unmatched)';

/** The template of the route that answered `req`, with the mount paths before it. */
export function routeTemplate(req: Request): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  // Answered inside a mount but by no route (static assets, a 404 under /api): the mount.
  // (Every mount path is a literal, so baseUrl is one of a fixed few.)
  if (typeof path !== 'string') return req.baseUrl ? `${req.baseUrl}/*` : UNMATCHED_ROUTE;
  // baseUrl is the matched mount path (a template too when a mount has parameters).
  const template = `${req.baseUrl}${path === '/' && req.baseUrl ? '' : path}`;
  return template || '/';
}

/** Counts every request when it finishes (or the client goes away), with its latency. */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    if (!metricsEnabled()) return next();
    const started = performance.now();
    let counted = false;
    const count = () => {
      if (counted) return;
      counted = true;
      recordHttpRequest(
        routeTemplate(req),
        req.method,
        res.statusCode,
        (performance.now() - started) / 1000,
      );
    };
    res.once('finish', count);
    res.once('close', count);
    next();
  };
}
