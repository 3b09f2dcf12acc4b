/** Bearer authentication for the API: `Authorization: Bearer <token>` sets `req.actor`. */
import type { RequestHandler } from 'express';
import type { Actor } from '../domain/barrier/barrier-machine.ts';
import { InvalidToken, verifyToken } from '../auth/tokens.ts';
import { unauthorized } from './problem.ts';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

/** Requires `Authorization: Bearer <token>` and sets `req.actor`. */
export function requireAuth(secret: string): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    if (!match?.[1]) {
      next(
        unauthorized(
          'Send a bearer token: Authorization: Bearer <token> (npm run token prints one).',
        ),
      );
      return;
    }
    try {
      req.actor = await verifyToken(secret, match[1]);
      next();
    } catch (err) {
      next(err instanceof InvalidToken ? unauthorized(err.message) : err);
    }
  };
}

/** The signed-in actor; only for routes behind {@link requireAuth}. */
export function actorOf(req: { actor?: Actor }): Actor {
  if (!req.actor) throw unauthorized('Sign in first.');
  return req.actor;
}
