/**
 * Rate limits (express-rate-limit): a one-minute window per client. A request
 * counts against its identity when its credential proves one (a valid bearer
 * token or page session), and against its address otherwise, so sending a
 * new made-up token with every request does not escape the limit, and one
 * address flooding with bad tokens does not lock out the signed-in people
 * behind it. Counts are kept in each process's memory (see the README for a
 * fleet). Over the limit is a 429 problem (or page) with Retry-After, and
 * changes nothing.
 */
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit as expressRateLimit } from 'express-rate-limit';
import { authenticateOnce, type BearerAuthenticator } from '../auth/bearer.ts';
import { HttpProblem } from '../api/problem.ts';
import type { Services } from '../services/create-services.ts';
import { currentSession, type SessionOptions } from '../web/session.ts';

const byAddress = (req: Request) => `address:${ipKeyGenerator(req.ip ?? '')}`;

/** Who a request counts against: a verified identity, else the address it came from. */
export function credentialKey(
  services: Pick<Services, 'sessions'>,
  authenticate: BearerAuthenticator,
  session: SessionOptions,
): (req: Request) => Promise<string> {
  return async (req) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    try {
      if (bearer) {
        const { credential } = await authenticateOnce(req, bearer, authenticate);
        return `identity:${'email' in credential ? credential.email : `client:${credential.clientId}`}`;
      }
      const s = await currentSession(services, req, session);
      return s ? `identity:${s.email}` : byAddress(req);
    } catch {
      return byAddress(req);
    }
  };
}

export function rateLimit(options: {
  perMinute: number;
  /** Who a request counts against. */
  key: (req: Request) => string | Promise<string>;
  what: string;
}): RequestHandler {
  if (options.perMinute <= 0) return (_req, _res, next) => next();
  return expressRateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    keyGenerator: options.key,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res, next) => {
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(
        1,
        Math.ceil(((reset?.getTime() ?? Date.now()) - Date.now()) / 1000),
      );
      res.set('Retry-After', String(retryAfter));
      next(
        new HttpProblem(
          429,
          'Too many requests',
          `More than ${options.perMinute} ${options.what} a minute from you; try again in ${retryAfter} s.`,
          { type: 'rate-limited' },
        ),
      );
    },
  });
}

/** Sign-in attempts count against the address they come from. */
export const addressKey = byAddress;
