/**
 * Hostile input: property-based fuzzing (fast-check) of the endpoints' bodies,
 * query strings and path parameters. Never a 5xx; every refusal is a 4xx
 * problem+json saying what is wrong; nothing is written. And rate limits.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { BARRIER_ACTION_TYPES } from '../../domain/barrier/schemas.ts';
import { leighRaiseBody, startTestApi, TEST_AUTH_SECRET, type TestApi } from '../support/api.ts';
import { admin, gmcaTriage, localityLead } from '../support/people.ts';
import { createSession } from '../../services/sessions.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

const it = stackTest('hostile');
let stack: TestStack;
let api: TestApi;
const tokens: Record<string, string> = {};

it.beforeAll(async ({ stack: s, api: a }) => {
  [stack, api] = [s, a];
  tokens.lead = await api.token(localityLead('wigan'));
  tokens.gmca = await api.token(gmcaTriage());
  tokens.admin = await api.token(admin());
});
/** What a store holds, to show a refused request changed nothing. */
async function snapshot() {
  const m = stack.store.models;
  // Temporal too: no workflow may start because of a refused request.
  await new Promise((r) => setTimeout(r, 500));
  const workflows = await stack.client.workflow.count(`TaskQueue = "${stack.taskQueue}"`);
  const [barriers, asks, people, policies, localities, timeline] = await Promise.all([
    m.Barrier.countDocuments(),
    m.Ask.countDocuments(),
    m.Person.find({}, { delivery: 1, available: 1, roles: 1 }).lean(),
    m.Policy.countDocuments(),
    m.Locality.find().lean(),
    m.TimelineEvent.countDocuments(),
  ]);
  return JSON.stringify({
    barriers,
    asks,
    people,
    policies,
    localities,
    timeline,
    workflows: workflows.count,
  });
}

// JSON of any shape, with the odd field name a real client would use.
const hostileJson = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(
    fc.constantFrom(
      'type',
      'title',
      'description',
      'locality',
      'neighbourhood',
      'category',
      'to',
      'into',
      'with',
      'owner',
      'askId',
      'barrierIds',
      'delivery',
      '__proto__',
      'constructor',
      '$where',
      'leads',
    ),
    fc.jsonValue(),
  ),
);
const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    'GT-0001',
    'ASK-0001',
    '../../etc/passwd',
    '%00',
    '<script>alert(1)</script>',
    'GT-' + '9'.repeat(400),
    '{"$gt":""}',
  ),
);

function expectRefusedCleanly(
  res: { status: number; headers: Headers; body: unknown },
  what: string,
) {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), what).toContain('application/problem+json');
    const b = res.body as { title?: unknown; detail?: unknown; status?: unknown };
    expect(typeof b.title, what).toBe('string');
    expect(typeof b.detail, what).toBe('string');
    expect(b.status, what).toBe(res.status);
  }
}

describe('fuzzing every endpoint', () => {
  it('bodies: never a 5xx, always a problem naming the fault, nothing written', async () => {
    const before = await snapshot();
    const bodies: [string, string, string][] = [
      ['POST', '/api/v1/barriers', 'lead'],
      ['POST', '/api/v1/barriers/GT-0001/actions', 'gmca'],
      ['POST', '/api/v1/asks', 'gmca'],
      ['POST', '/api/v1/asks/ASK-0001/actions', 'gmca'],
      ['PUT', '/api/v1/me/preferences', 'lead'],
      ['PUT', '/api/v1/people/someone%40example.org', 'admin'],
      ['PUT', '/api/v1/localities/wigan/assignments', 'admin'],
      ['PUT', '/api/v1/localities/wigan/neighbourhoods/leigh/assignments', 'admin'],
      ['POST', '/api/v1/policies', 'admin'],
    ];
    let refused = 0;
    for (const [method, path, who] of bodies) {
      await fc.assert(
        fc.asyncProperty(hostileJson, async (body) => {
          const res = await api.call(method, path, { token: tokens[who], body });
          expectRefusedCleanly(res, `${method} ${path} ${JSON.stringify(body)}`);
          if (res.status >= 400) refused += 1;
        }),
        { numRuns: 40 },
      );
    }
    expect(refused).toBe(bodies.length * 40);
    expect(await snapshot()).toBe(before);
  }, 120_000);

  it('query strings and path parameters: never a 5xx', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/v1/barriers', '/api/v1/asks', '/api/v1/triage'),
        fc.dictionary(
          fc.constantFrom(
            'locality',
            'stage',
            'status',
            'category',
            'limit',
            'cursor',
            'sort',
            'breached',
            'format',
            'department',
            'outcome',
            'focusArea',
            'x',
          ),
          hostileString,
        ),
        async (path, query) => {
          const qs = new URLSearchParams(query).toString();
          const res = await api.call('GET', `${path}?${qs}`, { token: tokens.gmca });
          expectRefusedCleanly(res, `GET ${path}?${qs}`);
        },
      ),
      { numRuns: 80 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/api/v1/barriers/',
          '/api/v1/asks/',
          '/api/v1/localities/',
          '/api/v1/people/',
        ),
        hostileString,
        async (prefix, id) => {
          const res = await api.call('GET', `${prefix}${encodeURIComponent(id)}`, {
            token: tokens.admin,
          });
          expectRefusedCleanly(res, `GET ${prefix}${id}`);
        },
      ),
      { numRuns: 80 },
    );
    expect(await snapshot()).toBe(before);
  }, 120_000);

  it('action bodies on a real barrier: each type with hostile fields is refused cleanly', async () => {
    const raised = await api.call('POST', '/api/v1/barriers', {
      token: tokens.lead,
      body: leighRaiseBody(),
    });
    const id = raised.body.id as string;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BARRIER_ACTION_TYPES),
        fc.dictionary(
          fc.constantFrom(
            'text',
            'note',
            'reason',
            'question',
            'response',
            'to',
            'into',
            'with',
            'owner',
            'resolveTarget',
            'askId',
            'ask',
            'policyVersion',
            'extra',
          ),
          fc.jsonValue(),
        ),
        async (type, fields) => {
          const res = await api.call('POST', `/api/v1/barriers/${id}/actions`, {
            token: tokens.admin,
            body: { ...fields, type },
          });
          expectRefusedCleanly(res, `${type} ${JSON.stringify(fields)}`);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);

  it('deeply nested JSON is refused, not crashed on', async () => {
    const deep = '['.repeat(5_000) + ']'.repeat(5_000);
    const res = await api.call('POST', '/api/v1/barriers', { token: tokens.lead, raw: deep });
    expectRefusedCleanly(res, 'deep JSON');
    expect(res.status).toBe(400);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a client passes its limit, and lets others through', async () => {
    const limited = await startTestApi(stack, { env: { RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push(
          (await limited.call('GET', '/api/v1/barriers', { token: tokens.lead })).status,
        );
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const over = await limited.call('GET', '/api/v1/barriers', { token: tokens.lead });
      expectRefusedCleanly(over, '429');
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another client (another credential) is not held back by the first.
      expect((await limited.call('GET', '/api/v1/barriers', { token: tokens.gmca })).status).toBe(
        200,
      );
    } finally {
      await limited.close();
    }
  });

  it('cannot be dodged with a new made-up token per request: those count against the address', async () => {
    const limited = await startTestApi(stack, { env: { RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const made = (i: number) => `${tokens.lead!.slice(0, -8)}${String(i).padStart(8, 'x')}`;
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await limited.call('GET', '/api/v1/barriers', { token: made(i) })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      // No token at all is the same address, the same bucket.
      expect((await limited.call('GET', '/api/v1/barriers')).status).toBe(429);
      // People signed in from behind that address are counted as themselves.
      expect((await limited.call('GET', '/api/v1/barriers', { token: tokens.admin })).status).toBe(
        200,
      );
    } finally {
      await limited.close();
    }
  });
});

describe('logs', () => {
  it('never contain a token, a session cookie or the secret, across a run with failures', async () => {
    const logged = await startTestApi(stack, { env: { LOG_LEVEL: 'info' } });
    try {
      const lead = tokens.lead!;
      const forged = `${lead.slice(0, -6)}abcdef`;
      await logged.call('GET', '/api/v1/barriers', { token: tokens.lead });
      await logged.call('GET', '/api/v1/barriers', { token: forged });
      await logged.call('POST', '/api/v1/asks', { token: tokens.lead, body: { title: 'x' } });
      await logged.call('POST', '/api/v1/barriers', { token: tokens.lead, raw: '{"broken' });
      // A page sign-in sets a session cookie; its value must not be logged either.
      const signIn = await fetch(`${logged.url}/sign-in`);
      const pre = /gt_pre=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1] ?? '';
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await signIn.text())?.[1] ?? '';
      const signedIn = await fetch(`${logged.url}/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `gt_pre=${pre}` },
        body: `_csrf=${encodeURIComponent(csrf)}&person=${encodeURIComponent(localityLead('wigan').sub)}`,
        redirect: 'manual',
      });
      const session = /gt_session=([^;]+)/.exec(signedIn.headers.get('set-cookie') ?? '')?.[1];
      expect(session).toBeTruthy();

      const logs = logged.logs().join('');
      expect(logs).toContain('"msg":"request"');
      expect(logs).toContain('"status":401');
      for (const secret of [lead, forged, session!, pre, csrf, TEST_AUTH_SECRET])
        expect(logs).not.toContain(secret);
    } finally {
      await logged.close();
    }
  });
});

describe('malformed percent-encoding in a path', () => {
  it('is a 400 problem on the API and a 400 page on the pages, never a 500', async () => {
    for (const path of ['/api/v1/barriers/%E0%A4%A', '/api/v1/asks/%E0%A4%A']) {
      const res = await api.call('GET', path, { token: tokens.gmca });
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      expect(res.body, path).toMatchObject({ status: 400, title: expect.any(String) });
    }
    const session = await createSession(stack.store, {
      email: localityLead('wigan').sub,
      via: 'development',
    });
    for (const cookie of ['', `gt_session=${session}`]) {
      const page = await fetch(`${api.url}/barriers/%ZZ`, { headers: { cookie } });
      expect(page.status).toBe(400);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('There is a problem with your request');
    }
  });
});

describe('a NUL character (which PostgreSQL cannot store)', () => {
  it('in a page query or form is a 400 page that changes nothing, never a 500', async () => {
    const session = await createSession(stack.store, {
      email: localityLead('wigan').sub,
      via: 'development',
    });
    const page = await fetch(`${api.url}/barriers?q=data%00sharing`, {
      headers: { cookie: `gt_session=${session}` },
    });
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('holds a NUL character');
  });
});

describe('a list cursor', () => {
  it('that decodes to an impossible instant is a 400 naming the cursor, not a 500', async () => {
    const forged = (c: unknown) => Buffer.from(JSON.stringify(c)).toString('base64url');
    for (const v of [1e300, 8.64e15 + 1, -8.64e15 - 1]) {
      const res = await api.call('GET', `/api/v1/barriers?cursor=${forged({ v, id: 'GT-0001' })}`, {
        token: tokens.gmca,
      });
      expect(res.status, String(v)).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'query.cursor', reason: 'is not a cursor from a previous page' },
      ]);
    }
    // The largest instant a Date holds is still a cursor: an empty page, not an error.
    const edge = await api.call(
      'GET',
      `/api/v1/barriers?cursor=${forged({ v: 8.64e15, id: 'GT-0001' })}`,
      { token: tokens.gmca },
    );
    expect(edge.status).toBe(200);
  });
});

describe('a body whose Content-Encoding does not decode', () => {
  it('is a 4xx problem on the API (before authentication) and a 4xx page on the pages', async () => {
    const before = await snapshot();
    const garbage = Buffer.from('this is not compressed at all');
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await fetch(`${api.url}/api/v1/barriers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: garbage,
      });
      expect(res.status, encoding).toBeGreaterThanOrEqual(400);
      expect(res.status, encoding).toBeLessThan(500);
      expect(res.headers.get('content-type'), encoding).toMatch(/^application\/problem\+json/);
      const page = await fetch(`${api.url}/sign-in`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-encoding': encoding,
        },
        body: garbage,
      });
      expect(page.status, encoding).toBeGreaterThanOrEqual(400);
      expect(page.status, encoding).toBeLessThan(500);
      expect(page.headers.get('content-type'), encoding).toMatch(/^text\/html/);
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('a method a path does not take', () => {
  it('is a 405 naming the methods it takes, not a 404', async () => {
    const res = await api.call('DELETE', '/api/v1/triage', { token: tokens.gmca });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const put = await api.call('PUT', '/api/v1/barriers', { token: tokens.gmca, body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST, GET');
  });
});
