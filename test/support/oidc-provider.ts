/**
 * A real OpenID provider on loopback for tests: `oidc-provider` (a certified
 * OpenID Provider implementation) with Golden Thread registered as a
 * confidential client, a machine client for client-credentials tokens, its
 * development login page (any email signs in as itself), JWT access tokens
 * for the API's audience, and RP-initiated sign-out.
 */
import { generateKeyPair, exportJWK, type JWK } from 'jose';
import Provider from 'oidc-provider';
import type { Server } from 'node:http';
import { freePort } from '../../scripts/servers/process.ts';

export const OIDC_CLIENT_ID = 'golden-thread';
export const OIDC_CLIENT_SECRET = 'golden-thread-test-client-secret-0123456789';
export const OIDC_AUDIENCE = 'https://golden-thread.test/api';
export const SERVICE_CLIENT_ID = 'gm-insights';
export const SERVICE_CLIENT_SECRET = 'gm-insights-test-secret-0123456789abcdef';

export interface TestProvider {
  issuer: string;
  /** The private signing key (for tests that must forge around it). */
  privateJwk: JWK;
  publicJwk: JWK;
  /** A JWT access token the provider issues for `email`, for `audience` (default the API's). */
  personToken(email: string, o?: { audience?: string; ttlSeconds?: number }): Promise<string>;
  /** A client-credentials access token for the machine client, from the token endpoint. */
  serviceToken(): Promise<string>;
  /** The environment that points Golden Thread at this provider. */
  env(publicBaseUrl: string): Record<string, string>;
  /** Restarts the provider signing with a new key, still publishing the old one (a key rotation). */
  rotateKey(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestProvider(
  o: { redirectBases?: string[]; port?: number; keys?: { privateJwk: JWK; publicJwk: JWK } } = {},
): Promise<TestProvider> {
  const port = o.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  let privateJwk: JWK;
  let publicJwk: JWK;
  if (o.keys) ({ privateJwk, publicJwk } = o.keys);
  else {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateJwk = {
      ...(await exportJWK(pair.privateKey)),
      kid: `k-${port}`,
      alg: 'RS256',
      use: 'sig',
    };
    publicJwk = {
      ...(await exportJWK(pair.publicKey)),
      kid: `k-${port}`,
      alg: 'RS256',
      use: 'sig',
    };
  }
  const bases = o.redirectBases ?? [];
  /** A provider signing with the first of `keys`, publishing all of them. */
  const build = (keys: JWK[]) => {
    const p = new Provider(issuer, {
      clients: [
        {
          client_id: OIDC_CLIENT_ID,
          client_secret: OIDC_CLIENT_SECRET,
          redirect_uris: bases.length
            ? bases.map((b) => `${b}/sign-in/callback`)
            : ['http://127.0.0.1/cb'],
          post_logout_redirect_uris: bases.map((b) => `${b}/signed-out`),
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
        {
          client_id: SERVICE_CLIENT_ID,
          client_secret: SERVICE_CLIENT_SECRET,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      jwks: { keys },
      cookies: { keys: ['test-provider-cookie-key-0123456789'] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      conformIdTokenClaims: false,
      ttl: {
        AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
        ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
        AuthorizationCode: 60,
        IdToken: 3600,
        Interaction: 600,
        Session: 3600,
        Grant: 3600,
      },
      pkce: { required: () => true },
      findAccount: (_ctx, id) => ({
        accountId: id,
        claims: () => ({ sub: id, email: id, email_verified: true, name: id.split('@')[0] }),
      }),
      features: {
        devInteractions: { enabled: true },
        clientCredentials: { enabled: true },
        rpInitiatedLogout: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: (_ctx, client) =>
            client.clientId === SERVICE_CLIENT_ID ? OIDC_AUDIENCE : undefined!,
          useGrantedResource: () => false,
          getResourceServerInfo: (_ctx, resource) => ({
            scope: 'api',
            audience: resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 600,
          }),
        },
      },
      extraTokenClaims: (_ctx, token) =>
        'accountId' in token && token.accountId ? { email: token.accountId } : undefined,
    });
    p.on('server_error', (_ctx, err) => console.error('test provider:', err));
    return p;
  };
  const listen = (p: Provider): Promise<Server> =>
    new Promise((resolve) => {
      const s = p.listen(port, '127.0.0.1', () => resolve(s));
    });
  const stop = (s: Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  let provider = build([privateJwk]);
  let server = await listen(provider);

  return {
    issuer,
    get privateJwk() {
      return privateJwk;
    },
    get publicJwk() {
      return publicJwk;
    },
    async personToken(email, t = {}) {
      const client = (await provider.Client.find(OIDC_CLIENT_ID))!;
      const token = new provider.AccessToken({
        accountId: email,
        client,
        scope: 'api',
        gty: 'authorization_code',
        grantId: `test-${email}`,
        extra: { email },
      });
      token.resourceServer = new provider.ResourceServer(t.audience ?? OIDC_AUDIENCE, {
        scope: 'api',
        audience: t.audience ?? OIDC_AUDIENCE,
        accessTokenFormat: 'jwt',
        accessTokenTTL: t.ttlSeconds ?? 600,
      });
      return token.save();
    },
    async serviceToken() {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: SERVICE_CLIENT_ID,
          client_secret: SERVICE_CLIENT_SECRET,
          resource: OIDC_AUDIENCE,
          scope: 'api',
        }),
      });
      const body = (await res.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`test provider: no token: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    env: (publicBaseUrl) => ({
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID,
      OIDC_CLIENT_SECRET,
      OIDC_AUDIENCE,
      PUBLIC_BASE_URL: publicBaseUrl,
    }),
    async rotateKey() {
      const pair = await generateKeyPair('RS256', { extractable: true });
      const kid = `k-${port}-${Date.now()}`;
      const next = { ...(await exportJWK(pair.privateKey)), kid, alg: 'RS256', use: 'sig' };
      await stop(server);
      provider = build([next, privateJwk]);
      server = await listen(provider);
      privateJwk = next;
      publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
    },
    close: () => stop(server),
  };
}
