/**
 * Bearer authentication for the API: `Authorization: Bearer <token>` proves
 * who is calling; the directory decides what they may do, on every request,
 * and `req.actor` is the result.
 */
import type { RequestHandler } from 'express';
import type { Actor } from '../domain/barrier/types.ts';
import { authenticateOnce, type BearerAuthenticator } from '../auth/bearer.ts';
import { InvalidToken } from '../auth/tokens.ts';
import type { Services } from '../services/create-services.ts';
import { NoAccess } from '../services/identity.ts';
import { HttpProblem, unauthorized } from './problem.ts';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

/** Requires `Authorization: Bearer <token>` and sets `req.actor` from the directory. */
export function requireAuth(
  services: Pick<Services, 'identity'>,
  authenticate: BearerAuthenticator,
): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    if (!match?.[1]) {
      next(unauthorized('Send a bearer token: Authorization: Bearer <token>.'));
      return;
    }
    try {
      const { credential, actingAs } = await authenticateOnce(req, match[1], authenticate);
      // A person holding several roles picks one with Acting-As (refused if not theirs).
      const asked = req.get('acting-as')?.trim();
      req.actor = (await services.identity.resolve(credential, asked || actingAs)).actor;
      next();
    } catch (err) {
      if (err instanceof InvalidToken) next(unauthorized(err.message));
      else if (err instanceof NoAccess)
        next(new HttpProblem(403, 'No access', err.detail, { type: 'no-access' }));
      else next(err);
    }
  };
}

/** The signed-in actor; only for routes behind {@link requireAuth}. */
export function actorOf(req: { actor?: Actor }): Actor {
  if (!req.actor) throw unauthorized('Sign in first.');
  return req.actor;
}
