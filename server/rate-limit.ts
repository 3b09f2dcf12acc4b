/**
 * Rate limits: a fixed one-minute window per client, kept in memory (each API
 * process limits its own traffic; put a shared limiter at the edge for more).
 * Over the limit is a 429 problem with Retry-After, and changes nothing.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { HttpProblem } from '../api/problem.ts';

export function rateLimit(options: {
  perMinute: number;
  /** Who a request counts against. */
  key: (req: Request) => string;
  what: string;
}): RequestHandler {
  if (options.perMinute <= 0) return (_req, _res, next) => next();
  const windows = new Map<string, { start: number; count: number }>();
  const sweep = setInterval(() => {
    const cutoff = Date.now() - 60_000;
    for (const [k, w] of windows) if (w.start < cutoff) windows.delete(k);
  }, 60_000);
  sweep.unref();
  return (req, res, next) => {
    const now = Date.now();
    const key = options.key(req);
    let w = windows.get(key);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count += 1;
    if (w.count > options.perMinute) {
      const retryAfter = Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
      res.set('Retry-After', String(retryAfter));
      next(
        new HttpProblem(
          429,
          'Too many requests',
          `More than ${options.perMinute} ${options.what} a minute from you; try again in ${retryAfter} s.`,
          { type: 'rate-limited' },
        ),
      );
      return;
    }
    next();
  };
}

/** A client: its address and, when it sends one, which credential (hashed, never stored as is). */
export const clientKey = (req: Request): string =>
  `${req.ip ?? ''}|${createHash('sha256')
    .update(req.get('authorization') ?? '')
    .digest('base64url')
    .slice(0, 16)}`;
