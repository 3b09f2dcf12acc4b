/**
 * Bearer tokens for the API: an access token from the organisation's OpenID
 * provider, or — outside production only — a development token. Which one a
 * token claims to be is read from its header; each is then verified by its
 * own rules, so an HS256 token is never checked against the provider's keys
 * nor a provider token against the development secret.
 */
import { decodeProtectedHeader } from 'jose';
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

export function bearerAuthenticator(o: {
  /** AUTH_SECRET when development tokens are accepted (never in production). */
  devSecret?: string;
  accessTokens?: AccessTokenVerifier;
}): BearerAuthenticator {
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
