/**
 * API bearer tokens from a real OpenID provider (oidc-provider on loopback):
 * the ones it issues are accepted and resolved through the directory; every
 * kind of forgery or mismatch is a 401, an identity the directory does not
 * know is a 403, and none is ever a 500.
 */
import {
  SignJWT,
  base64url,
  decodeProtectedHeader,
  exportSPKI,
  generateKeyPair,
  importJWK,
} from 'jose';
import { describe, expect } from 'vitest';
import { stackTest } from '../support/fixtures.ts';
import {
  OIDC_AUDIENCE,
  SERVICE_CLIENT_ID,
  startTestProvider,
  type TestProvider,
} from '../support/oidc-provider.ts';
import { admin, gmcaTriage, localityLead } from '../support/people.ts';

const it = stackTest('oidc-tokens', { oidc: true });
const wiganLead = localityLead('wigan').sub;

describe('API access tokens from the OpenID provider', () => {
  it('accepts a token it issued, with scope from the directory', async ({ api, oidc }) => {
    const token = await oidc.personToken(wiganLead);
    const mine = await api.call('GET', '/api/v1/barriers?locality=wigan', { token });
    expect(mine.status).toBe(200);
    const other = await api.call('GET', '/api/v1/barriers?locality=bolton', { token });
    expect(other.status).toBe(403);
    expect(other.body.detail).toMatch(/wigan only/);
  });

  it('acts in the role Acting-As names, when the directory gives it to them', async ({
    api,
    oidc,
    stack,
  }) => {
    const email = localityLead('bolton').sub;
    await stack.store.models.Person.updateOne(
      { _id: email },
      { $set: { roles: ['locality-lead', 'gmca-triage'] } },
    );
    const token = await oidc.personToken(email);
    // Their first role: a Bolton lead, who has no triage queue.
    expect((await api.call('GET', '/api/v1/triage', { token })).status).toBe(403);
    const asTriage = { token, headers: { 'acting-as': 'gmca-triage' } };
    expect((await api.call('GET', '/api/v1/triage', asTriage)).status).toBe(200);
    const asAdmin = await api.call('GET', '/api/v1/triage', {
      token,
      headers: { 'acting-as': 'admin' },
    });
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.body.detail).toMatch(/does not hold the role admin/);
  });

  it('refuses a person the directory does not know with 403, creating nothing', async ({
    api,
    oidc,
    stack,
  }) => {
    const token = await oidc.personToken('stranger@example.org');
    const res = await api.call('GET', '/api/v1/barriers', { token });
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/no-access$/);
    expect(res.body.detail).toMatch(/stranger@example.org does not have access/);
    expect(await stack.store.models.Person.findById('stranger@example.org')).toBeNull();
  });

  const refusals: [string, (oidc: TestProvider) => Promise<string>, RegExp][] = [
    [
      'a token for another audience',
      (oidc) => oidc.personToken(wiganLead, { audience: 'https://other.example.org/api' }),
      /aud claim/,
    ],
    [
      'alg: none',
      (oidc) => {
        const now = Math.floor(Date.now() / 1000);
        const part = (o: object) => base64url.encode(JSON.stringify(o));
        return Promise.resolve(
          `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: oidc.issuer, aud: OIDC_AUDIENCE, email: wiganLead, iat: now, exp: now + 600 })}.`,
        );
      },
      /not valid|algorithm/,
    ],
    [
      "HS256 keyed with the provider's public key (PEM)",
      async (oidc) => {
        const pem = await exportSPKI((await importJWK(oidc.publicJwk, 'RS256')) as CryptoKey);
        return new SignJWT({ email: wiganLead })
          .setProtectedHeader({ alg: 'HS256', kid: oidc.publicJwk.kid })
          .setIssuer(oidc.issuer)
          .setAudience(OIDC_AUDIENCE)
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode(pem));
      },
      /not valid/,
    ],
    [
      "HS256 keyed with the provider's public key (JWK)",
      async (oidc) =>
        new SignJWT({ email: wiganLead })
          .setProtectedHeader({ alg: 'HS256', kid: oidc.publicJwk.kid })
          .setIssuer(oidc.issuer)
          .setAudience(OIDC_AUDIENCE)
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode(JSON.stringify(oidc.publicJwk))),
      /not valid/,
    ],
    [
      'a key id the issuer does not publish',
      async (oidc) => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({ email: wiganLead })
          .setProtectedHeader({ alg: 'RS256', kid: 'not-a-published-key' })
          .setIssuer(oidc.issuer)
          .setAudience(OIDC_AUDIENCE)
          .setExpirationTime('10m')
          .sign(privateKey);
      },
      /key the issuer does not publish/,
    ],
    ['not a JWT at all', () => Promise.resolve('abc.def.ghi'), /not valid/],
  ];
  for (const [what, mint, reason] of refusals) {
    it(`refuses ${what} with 401`, async ({ api, oidc }) => {
      const res = await api.call('GET', '/api/v1/barriers', { token: await mint(oidc) });
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(reason);
    });
  }

  it('refuses a token from another issuer, even one signed with the same key', async ({
    api,
    oidc,
  }) => {
    const impostor = await startTestProvider({
      keys: { privateJwk: oidc.privateJwk, publicJwk: oidc.publicJwk },
    });
    try {
      const res = await api.call('GET', '/api/v1/barriers', {
        token: await impostor.personToken(wiganLead),
      });
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/iss claim/);
    } finally {
      await impostor.close();
    }
  });

  it('refuses an expired token, allowing only a few seconds of clock difference', async ({
    api,
    oidc,
  }) => {
    const token = await oidc.personToken(wiganLead, { ttlSeconds: 1 });
    expect((await api.call('GET', '/api/v1/barriers', { token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 7_500));
    const res = await api.call('GET', '/api/v1/barriers', { token });
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/expired/);
  });

  it('maps a client-credentials token to the service entry an admin gives roles', async ({
    api,
    oidc,
    stack,
  }) => {
    const token = await oidc.serviceToken();
    const before = await api.call('GET', '/api/v1/triage', { token });
    expect(before.status).toBe(403);
    expect(before.body.detail).toMatch(
      new RegExp(`client ${SERVICE_CLIENT_ID} does not have access`),
    );

    const adminToken = await oidc.personToken(admin().sub);
    const saved = await api.call('PUT', '/api/v1/people/insights-team@example.org', {
      token: adminToken,
      body: {
        name: 'GM insights dashboard',
        kind: 'service',
        clientId: SERVICE_CLIENT_ID,
        roles: ['gmca-triage'],
      },
    });
    expect(saved.status).toBe(200);
    expect((await api.call('GET', '/api/v1/triage', { token })).status).toBe(200);
    // A client id belongs to one entry: filing it under a second is a 409, and changes nothing.
    const taken = await api.call('PUT', '/api/v1/people/another-team@example.org', {
      token: adminToken,
      body: { name: 'Another', kind: 'service', clientId: SERVICE_CLIENT_ID, roles: ['admin'] },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toMatch(/already belongs to insights-team@example.org/);
    expect(await stack.store.models.Person.findById('another-team@example.org')).toBeNull();
    // Someone signing in with the team address the service is filed under is not the service.
    const impostor = await oidc.personToken('insights-team@example.org');
    const refused = await api.call('GET', '/api/v1/triage', { token: impostor });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toMatch(/no-access$/);

    // The admin's change is in the audit log, through the API, before and after.
    const audit = await api.call('GET', '/api/v1/audit?target=person:insights-team', {
      token: adminToken,
    });
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({
      actor: admin().sub,
      action: 'person.added',
      via: 'api',
      before: null,
      after: { clientId: SERVICE_CLIENT_ID, roles: ['gmca-triage'] },
    });
    const csv = await fetch(`${api.url}/api/v1/audit?format=csv&action=person.added`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toMatch(
      /person:insights-team@example.org,api,,"\{""email"":""insights-team@example.org""/,
    );
    // The audit log is for admins.
    const triage = await oidc.personToken(gmcaTriage().sub);
    expect((await api.call('GET', '/api/v1/audit', { token: triage })).status).toBe(403);
  });

  // Last in the file: it restarts the file's provider with a new signing key.
  it('follows a key rotation: a token signed with a newly published key is accepted, the old key still works', async ({
    api,
    oidc,
  }) => {
    const before = await oidc.personToken(wiganLead);
    expect((await api.call('GET', '/api/v1/barriers', { token: before })).status).toBe(200);
    await oidc.rotateKey();
    const after = await oidc.personToken(wiganLead);
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    // The key set is fetched again for an unknown key id, at most every 30 s (so a flood of
    // made-up key ids cannot hammer the provider): wait that out once.
    await new Promise((r) => setTimeout(r, 31_000));
    expect((await api.call('GET', '/api/v1/barriers', { token: after })).status).toBe(200);
    expect((await api.call('GET', '/api/v1/barriers', { token: before })).status).toBe(200);
  }, 90_000);
});
