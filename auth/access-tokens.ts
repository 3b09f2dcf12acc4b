/**
 * API access tokens from the organisation's OpenID provider: JWTs verified
 * against the issuer's published keys (jose's remote key set: fetched once,
 * cached, and fetched again when a token names a key id it has not seen, so
 * the provider can rotate keys). Only asymmetric algorithms are accepted, so
 * neither `alg: none` nor an HS256 token keyed with a public key can pass;
 * `iss`, `aud`, `exp` and `nbf` are checked with a small clock tolerance.
 *
 * A token with the email claim identifies a person; one without it (a
 * client-credentials token) identifies a machine client by its client id.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { IdentityProviderUnavailable } from '../services/errors.ts';
import type { Credential } from '../services/identity.ts';
import { InvalidToken } from './tokens.ts';

/** Asymmetric signature algorithms only. */
export const ACCESS_TOKEN_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Seconds of clock difference tolerated on `exp` and `nbf`. */
export const CLOCK_TOLERANCE_S = 5;

export interface AccessTokenOptions {
  issuer: string;
  audience: string;
  /** Where the issuer publishes its keys (from discovery). */
  jwksUri: () => Promise<URL>;
  emailClaim: string;
}

export type AccessTokenVerifier = (token: string) => Promise<Credential>;

function reason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'The token has expired; get a new one.';
  if (err instanceof errors.JWTClaimValidationFailed)
    return `The token's ${err.claim} claim is not accepted here.`;
  if (err instanceof errors.JOSEAlgNotAllowed)
    return 'The token is not signed with an accepted algorithm.';
  if (err instanceof errors.JWKSNoMatchingKey)
    return 'The token is signed with a key the issuer does not publish.';
  return 'The token is not valid.';
}

export function accessTokenVerifier(o: AccessTokenOptions): AccessTokenVerifier {
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  return async (token) => {
    keys ??= createRemoteJWKSet(await o.jwksUri(), {
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: o.issuer,
        audience: o.audience,
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      // The issuer's keys out of reach is an outage, not a bad token.
      if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError))
        throw new IdentityProviderUnavailable(
          `Could not fetch the sign-in provider's keys: ${err instanceof Error ? err.message : String(err)}`,
        );
      throw new InvalidToken(reason(err));
    }
    const email = payload[o.emailClaim];
    if (typeof email === 'string' && email.includes('@')) return { email: email.toLowerCase() };
    const clientId = payload.client_id ?? payload.azp ?? payload.appid;
    if (typeof clientId === 'string' && clientId) return { clientId };
    throw new InvalidToken(`The token carries neither ${o.emailClaim} nor a client id.`);
  };
}
