/**
 * Sign-in through the organisation's OpenID provider, with `openid-client`
 * (a certified relying-party library): discovery from the issuer, the
 * Authorization Code flow with PKCE, state and nonce checked on the way back,
 * and RP-initiated sign-out where the provider offers an end-session endpoint.
 *
 * Discovery is lazy and retried: a provider that is down at start-up does not
 * stop Golden Thread starting, and the first sign-in after it is back works.
 */
import * as oidc from 'openid-client';
import { IdentityProviderUnavailable } from '../services/errors.ts';
import type { OidcConfig } from '../config.ts';
import { InvalidToken } from './tokens.ts';

/** What the browser keeps between leaving for the provider and coming back (in a signed cookie). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
}

export interface SignedInAtProvider {
  email: string;
  /** Kept server-side only, to end the session at the provider on sign-out. */
  idToken: string | undefined;
}

export interface OidcClient {
  /** The URL to send the browser to, and what to keep until it comes back. */
  start(): Promise<{ url: URL; pending: PendingSignIn }>;
  /** Completes the flow from the callback URL. @throws {InvalidToken} when the answer does not check out. */
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<SignedInAtProvider>;
  /** Where to send the browser to end the provider's session too, if it offers that. */
  endSessionUrl(idToken: string | null | undefined, returnTo: string): Promise<URL | undefined>;
  /** The issuer's key set URL (for API access tokens). */
  jwksUri(): Promise<URL>;
}

export function createOidcClient(config: OidcConfig, options: { allowHttp: boolean }): OidcClient {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(
        new URL(config.issuer),
        config.clientId,
        undefined,
        config.clientSecret ? oidc.ClientSecretPost(config.clientSecret) : oidc.None(),
        options.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw new IdentityProviderUnavailable(
          `Could not read the sign-in provider's discovery document at ${config.issuer}: ${err instanceof Error ? err.message : String(err)}`,
        );
      });
    return discovered;
  };

  return {
    async start() {
      const c = await configuration();
      const pending = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(c, {
        redirect_uri: config.redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url, pending };
    },

    async finish(callbackUrl, pending) {
      const c = await configuration();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(c, callbackUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw new InvalidToken(
          `The sign-in could not be completed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      const claims = tokens.claims()!;
      let email = claims[config.emailClaim];
      // Providers that keep scope claims out of the ID token give them at userinfo.
      if (typeof email !== 'string' && tokens.access_token) {
        const info = await oidc.fetchUserInfo(c, tokens.access_token, claims.sub);
        email = info[config.emailClaim];
      }
      if (typeof email !== 'string' || !email.includes('@'))
        throw new InvalidToken(
          `The provider did not say who you are (no ${config.emailClaim} claim).`,
        );
      return { email: email.trim().toLowerCase(), idToken: tokens.id_token };
    },

    async endSessionUrl(idToken, returnTo) {
      const c = await configuration();
      if (!c.serverMetadata().end_session_endpoint) return undefined;
      return oidc.buildEndSessionUrl(c, {
        post_logout_redirect_uri: returnTo,
        ...(idToken ? { id_token_hint: idToken } : { client_id: config.clientId }),
      });
    },

    async jwksUri() {
      const uri = (await configuration()).serverMetadata().jwks_uri;
      if (!uri)
        throw new IdentityProviderUnavailable('The sign-in provider publishes no jwks_uri.');
      return new URL(uri);
    },
  };
}
