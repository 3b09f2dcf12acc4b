/**
 * Bearer tokens: HS256 JWTs signed with AUTH_SECRET, carrying the actor's
 * email (`sub`), role and scope. Anything else (unsigned, another algorithm,
 * another secret, expired, missing claims) is 401.
 */
import type { RequestHandler } from 'express';
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import type { Actor } from '../domain/barrier/barrier-machine.ts';
import { LOCALITIES, ROLES } from '../domain/reference-data.ts';
import { unauthorized } from './problem.ts';

const ISSUER = 'golden-thread';

export const claimsSchema = z
  .object({
    sub: z.email(),
    role: z.enum(ROLES),
    locality: z.enum(LOCALITIES).optional(),
    neighbourhood: z.string().min(1).optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.role === 'locality-lead' || c.role === 'neighbourhood-lead') && !c.locality) {
      ctx.addIssue({
        code: 'custom',
        path: ['locality'],
        message: `a ${c.role} token needs a locality`,
      });
    }
    if (c.role === 'neighbourhood-lead' && !c.neighbourhood) {
      ctx.addIssue({
        code: 'custom',
        path: ['neighbourhood'],
        message: 'a neighbourhood-lead token needs a neighbourhood',
      });
    }
  });
export type Claims = z.infer<typeof claimsSchema>;

const key = (secret: string) => new TextEncoder().encode(secret);

/** Signs a token for `claims`, valid for `ttl` (a jose time span such as `8h`). */
export async function signToken(secret: string, claims: Claims, ttl = '8h'): Promise<string> {
  const valid = claimsSchema.parse(claims);
  const { sub, ...rest } = valid;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(key(secret));
}

/** Verifies a token and returns the actor, or throws a 401 problem saying why. */
export async function verifyToken(secret: string, token: string): Promise<Actor> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], issuer: ISSUER }));
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw unauthorized(
      code === 'ERR_JWT_EXPIRED'
        ? 'The token has expired; sign in again.'
        : 'The token is not valid.',
    );
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success)
    throw unauthorized('The token is missing claims Golden Thread needs (sub, role and scope).');
  const c = claims.data;
  return {
    email: c.sub.toLowerCase(),
    role: c.role,
    locality: c.locality,
    neighbourhood: c.neighbourhood,
  };
}

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
      next(err);
    }
  };
}

/** The signed-in actor; only for routes behind {@link requireAuth}. */
export function actorOf(req: { actor?: Actor }): Actor {
  if (!req.actor) throw unauthorized('Sign in first.');
  return req.actor;
}
