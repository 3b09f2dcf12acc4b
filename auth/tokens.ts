/**
 * Development tokens (never in production): HS256 JWTs signed with
 * AUTH_SECRET, carrying an email (`sub`) and the role to act in. Like every
 * credential they prove only who is calling: what that person may do, their
 * locality and neighbourhood, comes from the directory, and a role the
 * directory does not give them is refused there. Anything else (unsigned,
 * another algorithm, another secret, expired, missing claims) is refused with
 * {@link InvalidToken}.
 */
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import { LOCALITIES, ROLES, type Role } from '../domain/reference-data.ts';

/** A token that does not prove who is calling; `message` says why, for the caller. */
export class InvalidToken extends Error {
  override readonly name = 'InvalidToken';
}

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

/** What a development token proves: who, and the role they ask to act in. */
export interface DevCredential {
  email: string;
  actingAs: Role;
}

/** Verifies a token. @throws {InvalidToken} saying why not. */
export async function verifyToken(secret: string, token: string): Promise<DevCredential> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], issuer: ISSUER }));
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new InvalidToken(
      code === 'ERR_JWT_EXPIRED'
        ? 'The token has expired; sign in again.'
        : 'The token is not valid.',
    );
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success)
    throw new InvalidToken(
      'The token is missing claims Golden Thread needs (sub, role and scope).',
    );
  return { email: claims.data.sub.toLowerCase(), actingAs: claims.data.role };
}
