/**
 * The way back from the provider refuses anything it did not start: no
 * pending sign-in, a state that does not match, a code it cannot redeem, or
 * an error from the provider each get a page saying so, never a session.
 */
import { describe, expect } from 'vitest';
import { stackTest } from '../support/fixtures.ts';

const it = stackTest('sign-in-callback', { oidc: true });

/** Starts a sign-in: the provider URL and the pending-sign-in cookie it set. */
async function start(appUrl: string) {
  const res = await fetch(`${appUrl}/sign-in`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gt_oidc='))!;
  return { location, cookie: cookie.split(';')[0]! };
}

describe('the sign-in callback', () => {
  it('sends people to the provider with PKCE, state and nonce', async ({ api, oidc }) => {
    const { location, cookie } = await start(api.url);
    expect(location.origin).toBe(oidc.issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('scope')).toBe('openid email profile');
    expect(location.searchParams.get('redirect_uri')).toBe(`${api.url}/sign-in/callback`);
    for (const p of ['state', 'nonce', 'code_challenge'])
      expect(location.searchParams.get(p)).toMatch(/^[\w-]{20,}$/);
    // What the browser keeps is signed and holds no token.
    expect(cookie).toMatch(/^gt_oidc=[\w-]+\.[\w-]+$/);
  });

  const refused: [string, (state: string) => string, boolean, RegExp][] = [
    ['without the pending sign-in cookie', (s) => `?code=abc&state=${s}`, false, /expired/],
    [
      'with a state that does not match',
      () => '?code=abc&state=forged',
      true,
      /could not be checked/,
    ],
    [
      'with a code the provider never issued',
      (s) => `?code=forged&state=${s}`,
      true,
      /could not be checked/,
    ],
    [
      'with an error from the provider',
      (s) => `?error=access_denied&state=${s}`,
      true,
      /access_denied/,
    ],
  ];
  for (const [what, query, withCookie, message] of refused) {
    it(`refuses a return ${what}, starting no session`, async ({ api, oidc, stack }) => {
      const { location, cookie } = await start(api.url);
      const state = location.searchParams.get('state')!;
      const res = await fetch(
        `${api.url}/sign-in/callback${query(state)}&iss=${encodeURIComponent(oidc.issuer)}`,
        { redirect: 'manual', headers: withCookie ? { cookie } : {} },
      );
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(message);
      expect(res.headers.getSetCookie().some((c) => /^gt_session=[^;]/.test(c))).toBe(false);
      expect(await stack.store.models.Session.countDocuments()).toBe(0);
    });
  }
});
