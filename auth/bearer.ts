/**
 * Bearer tokens for the API: an access token from the organisation's OpenID
 * provider, or — outside production only — a development token. Which one a
 * token claims to be is read from its header; each is then verified by its
 * own rules, so an HS256 token is never checked against the provider's keys
 * nor a provider token against the development secret.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Credential } from '../services/identity.ts';
import type { AccessTokenVerifier } from './access-tokens.ts';
import { InvalidToken, verifyToken } from './tokens.ts';
import { oncePerRequest } from './once-per-request.ts';

export interface BearerResult {
  credential: Credential;
  /** The role a development token asks to act in. */
  actingAs?: string;
}

export type BearerAuthenticator = (token: string) => Promise<BearerResult>;

const checked = oncePerRequest<BearerResult>();

/**
 * Authenticates a request's bearer token once, however many times it is
 * asked (the rate limiter and then the API both need to know who it is).
 */
export function authenticateOnce(
  req: object,
  token: string,
  authenticate: BearerAuthenticator,
): Promise<BearerResult> {
  return checked(req, () => authenticate(token));
}

/** How long a verified token is taken on trust before its signature is checked again. */
const REMEMBER_MS = 5 * 60_000;
/** Verified tokens a process remembers (the oldest dropped first). */
const REMEMBERED = 10_000;

/**
 * Checks bearer tokens, remembering each verified one until it expires (five
 * minutes at most): a client sends the same token on every call, and checking
 * its signature each time would cost a tenth of an API read's CPU. A token is a
 * signed, expiring claim: nothing about it can change while it is remembered,
 * except its key being withdrawn, which the five minutes bound. What it lets
 * its bearer do is decided by the directory on every request, never here.
 */
export function bearerAuthenticator(
  o: {
    /** AUTH_SECRET when development tokens are accepted (never in production). */
    devSecret?: string;
    accessTokens?: AccessTokenVerifier;
  },
  now: () => number = Date.now,
): BearerAuthenticator {
  const verify = verifier(o);
  const remembered = new Map<string, { result: BearerResult; until: number }>();
  return async (token) => {
    const known = remembered.get(token);
    if (known && now() < known.until) return known.result;
    remembered.delete(token);
    const result = await verify(token);
    const exp = decodeJwt(token).exp;
    if (typeof exp === 'number') {
      remembered.set(token, { result, until: Math.min(exp * 1000, now() + REMEMBER_MS) });
      if (remembered.size > REMEMBERED) remembered.delete(remembered.keys().next().value!);
    }
    return result;
  };
}

function verifier(o: Parameters<typeof bearerAuthenticator>[0]): BearerAuthenticator {
  return async (token) => {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new InvalidToken('The token is not valid.');
    }
    if (alg === 'HS256' && o.devSecret) {
      const dev = await verifyToken(o.devSecret, token);
      return { credential: { email: dev.email }, actingAs: dev.actingAs };
    }
    if (o.accessTokens) return { credential: await o.accessTokens(token) };
    throw new InvalidToken(
      o.devSecret
        ? 'The token is not valid (this server takes development tokens: npm run token prints one).'
        : 'The token is not valid.',
    );
  };
}
