/**
 * The authorization matrix: every role × the endpoints × own and other
 * locality and neighbourhood, against the rules in ../shared/docs/DESIGN.md.
 * Seeing is scope (out of scope is 404, so existence does not leak); acting is
 * role and stage (403); the state machine has the last word (422).
 *
 * Every caller holds an access token from a real OpenID provider that carries
 * only their email: role, locality and neighbourhood come from the directory.
 */
import { describe, expect } from 'vitest';
import type { Claims } from '../../auth/tokens.ts';
import { leighRaiseBody, type TestApi } from '../support/api.ts';
import { admin, gmcaTriage, localityLead, neighbourhoodLead } from '../support/people.ts';
import { stackTest } from '../support/fixtures.ts';

const it = stackTest('authz', { oidc: true });
let api: TestApi;
let barrier: string; // Leigh, Wigan, at the neighbourhood stage
let other: string; // another Wigan barrier, to merge into

const people: Record<string, Claims> = {
  'wigan lead': localityLead('wigan'),
  'bolton lead': localityLead('bolton'),
  'leigh lead': neighbourhoodLead('wigan', 'leigh'),
  'wigan-central lead': neighbourhoodLead('wigan', 'wigan-central'),
  gmca: gmcaTriage(),
  admin: admin(),
};
const tokens: Record<string, string> = {};

it.beforeAll(async ({ api: a, oidc }) => {
  api = a;
  for (const [k, v] of Object.entries(people)) tokens[k] = await oidc.personToken(v.sub);
  const raise = async () =>
    (
      await api.call('POST', '/api/v1/barriers', {
        token: tokens['wigan lead'],
        body: leighRaiseBody(),
      })
    ).body.id as string;
  barrier = await raise();
  other = await raise();
});
const WHO = Object.keys(people);

/** Expected status per person, in the order of WHO. */
const matrix: [string, string, () => string, (() => unknown) | undefined, number[]][] = [
  // [what, method, path, body, statuses for: wigan lead, bolton lead, leigh lead, wigan-central lead, gmca, admin]
  [
    'read a Leigh barrier',
    'GET',
    () => `/api/v1/barriers/${barrier}`,
    undefined,
    [200, 404, 200, 404, 200, 200],
  ],
  [
    'comment on it',
    'POST',
    () => `/api/v1/barriers/${barrier}/actions`,
    () => ({ type: 'comment', text: 'hello' }),
    [200, 404, 200, 404, 200, 200],
  ],
  [
    'merge it (a triage decision, at the neighbourhood stage)',
    'POST',
    () => `/api/v1/barriers/${barrier}/actions`,
    () => ({ type: 'merge', into: other }),
    [403, 404, 403, 404, 403, 422],
  ],
  [
    'migrate its policy',
    'POST',
    () => `/api/v1/barriers/${barrier}/actions`,
    () => ({ type: 'migrate-policy', policyVersion: 99 }),
    [403, 404, 403, 404, 403, 400],
  ],
  [
    'list Bolton’s barriers',
    'GET',
    () => '/api/v1/barriers?locality=bolton',
    undefined,
    [403, 200, 403, 403, 200, 200],
  ],
  [
    'see the triage queue',
    'GET',
    () => '/api/v1/triage',
    undefined,
    [403, 403, 403, 403, 200, 200],
  ],
  [
    'create a Whitehall ask',
    'POST',
    () => '/api/v1/asks',
    () => ({ title: 't', department: 'dhsc', ask: 'a', barrierIds: [barrier] }),
    [403, 403, 403, 403, 422, 422],
  ],
  [
    'read the asks register',
    'GET',
    () => '/api/v1/asks',
    undefined,
    [200, 200, 200, 200, 200, 200],
  ],
  [
    'act on an ask',
    'POST',
    () => '/api/v1/asks/ASK-9999/actions',
    () => ({ type: 'submit' }),
    [403, 403, 403, 403, 404, 404],
  ],
  [
    'read the directory',
    'GET',
    () => '/api/v1/localities',
    undefined,
    [200, 200, 200, 200, 200, 200],
  ],
  ['list people', 'GET', () => '/api/v1/people', undefined, [403, 403, 403, 403, 403, 200]],
  [
    'change a person',
    'PUT',
    () => '/api/v1/people/new.person%40example.org',
    () => ({ name: 'New Person' }),
    [403, 403, 403, 403, 403, 200],
  ],
  ['read SLA policies', 'GET', () => '/api/v1/policies', undefined, [403, 403, 403, 403, 403, 200]],
  [
    'read own preferences',
    'GET',
    () => '/api/v1/me/preferences',
    undefined,
    [200, 200, 200, 200, 200, 200],
  ],
];

describe('authorization matrix', () => {
  it.each(matrix)('%s', async (_what, method, path, body, expected) => {
    const got: Record<string, number> = {};
    for (const who of WHO) {
      const res = await api.call(method, path(), { token: tokens[who], body: body?.() });
      got[who] = res.status;
      if (res.status >= 400)
        expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(got).toEqual(Object.fromEntries(WHO.map((w, i) => [w, expected[i]])));
  });

  it('leaves a barrier untouched by every refused attempt', async () => {
    const b = (await api.call('GET', `/api/v1/barriers/${barrier}`, { token: tokens.admin })).body;
    expect(b).toMatchObject({
      status: 'open',
      stage: 'neighbourhood',
      policyVersion: { version: 1 },
    });
  });
});
