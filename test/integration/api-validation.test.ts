/**
 * Bad input and bad credentials: always a 4xx problem+json naming the field
 * and the reason, and nothing written.
 */
import { SignJWT } from 'jose';
import { describe, expect } from 'vitest';
import { TEST_AUTH_SECRET, type TestApi } from '../support/api.ts';
import { admin, localityLead } from '../support/people.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

const it = stackTest('validation');
let stack: TestStack;
let api: TestApi;
let lead: string;
let adminToken: string;

it.beforeAll(async ({ stack: s, api: a }) => {
  [stack, api] = [s, a];
  lead = await api.token(localityLead('wigan'));
  adminToken = await api.token(admin());
});
const good = {
  title: 'T',
  description: 'D',
  locality: 'wigan',
  neighbourhood: 'leigh',
  category: 'funding',
};

/** Counts of everything a request could write. */
async function snapshot() {
  const m = stack.store.models;
  return {
    barriers: await m.Barrier.countDocuments(),
    timeline: await m.TimelineEvent.countDocuments(),
    counters: JSON.stringify(await m.Counter.find().lean()),
    policies: await m.Policy.countDocuments(),
    people: JSON.stringify(await m.Person.find().sort({ _id: 1 }).lean()),
    localities: JSON.stringify(await m.Locality.find().sort({ _id: 1 }).lean()),
    workflows: (
      await stack.client.workflow
        .count(`TaskQueue = '${stack.taskQueue}'`)
        .catch(() => ({ count: -1 }))
    ).count,
  };
}

function expectProblem(
  res: { status: number; body: any; headers: Headers },
  status: number,
  field?: string | RegExp,
) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (field)
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContainEqual(
      typeof field === 'string' ? field : expect.stringMatching(field),
    );
}

describe('bad input changes nothing', () => {
  it.each([
    ['missing title', { ...good, title: undefined }, 'body.title', /is required/],
    ['empty title', { ...good, title: '   ' }, 'body.title', /must not be empty/],
    [
      'unknown locality',
      { ...good, locality: 'atlantis' },
      'body.locality',
      /must be one of bolton/,
    ],
    [
      'neighbourhood of another locality',
      { ...good, neighbourhood: 'turton' },
      'body.neighbourhood',
      /not a neighbourhood of wigan/,
    ],
    ['bad category', { ...good, category: 'vibes' }, 'body.category', /must be one of/],
    ['negative people', { ...good, peopleAffected: -1 }, 'body.peopleAffected', /0/],
    ['fractional people', { ...good, peopleAffected: 1.5 }, 'body.peopleAffected', /whole number/],
    [
      'evidence url',
      { ...good, evidence: [{ title: 'x', url: 'javascript:alert(1)' }] },
      'body.evidence.0.url',
      /http/,
    ],
    [
      'unknown field',
      { ...good, priority: 'high' },
      /^body\.priority$/,
      /unknown fields are rejected/,
    ],
    ['not an object', [1, 2], 'body', /object/],
    // PostgreSQL cannot store U+0000 in a document: refused by field, never a 500.
    ['a NUL character', { ...good, description: 'a\u0000b' }, 'body.description', /NUL/],
    [
      'a NUL character deep inside',
      { ...good, evidence: [{ title: '\u0000', url: 'https://x.org' }] },
      'body.evidence.0.title',
      /NUL/,
    ],
  ])('POST /barriers: %s', async (_name, body, field, reason) => {
    const before = await snapshot();
    const res = await api.call('POST', '/api/v1/barriers', { token: lead, body });
    expectProblem(res, 400, field);
    expect(res.body.errors.map((e: { reason: string }) => e.reason).join(' ')).toMatch(reason);
    expect(await snapshot()).toEqual(before);
  });

  it('POST /barriers: a bad Idempotency-Key header', async () => {
    const res = await api.call('POST', '/api/v1/barriers', {
      token: lead,
      body: good,
      headers: { 'idempotency-key': 'x'.repeat(201) },
    });
    expectProblem(res, 400, 'header.idempotency-key');
  });

  it('POST /barriers/:id/actions: bad ids, types and fields', async () => {
    const created = await api.call('POST', '/api/v1/barriers', { token: lead, body: good });
    const id = created.body.id as string;
    const before = await snapshot();
    expectProblem(
      await api.call('POST', '/api/v1/barriers/not-an-id/actions', {
        token: lead,
        body: { type: 'acknowledge' },
      }),
      400,
      'path.id',
    );
    expectProblem(
      await api.call('POST', `/api/v1/barriers/${id}/actions`, {
        token: lead,
        body: { type: 'explode' },
      }),
      400,
      'body.type',
    );
    expectProblem(
      await api.call('POST', `/api/v1/barriers/${id}/actions`, {
        token: lead,
        body: { type: 'comment' },
      }),
      400,
      'body.text',
    );
    expectProblem(
      await api.call('POST', `/api/v1/barriers/${id}/actions`, {
        token: lead,
        body: { type: 'request-info', reason: 'bored', question: 'q' },
      }),
      400,
      'body.reason',
    );
    expectProblem(
      await api.call('POST', `/api/v1/barriers/${id}/actions`, {
        token: lead,
        body: { type: 'reassign', to: 'nobody@example.org' },
      }),
      400,
      'body.to',
    );
    expectProblem(
      await api.call('POST', `/api/v1/barriers/${id}/actions`, {
        token: adminToken,
        body: { type: 'migrate-policy', policyVersion: 99 },
      }),
      400,
      'body.policyVersion',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a NUL character in a query string is a 400 naming the parameter', async () => {
    for (const path of [
      '/api/v1/asks?department=C%00x&status=withdrawn',
      '/api/v1/barriers?q=data%00sharing',
      '/api/v1/audit?actor=a%00b',
    ]) {
      const res = await api.call('GET', path, { token: adminToken });
      expectProblem(res, 400, /^query\.(department|q|actor)$/);
      expect(res.body.errors[0].reason).toBe('must not contain a NUL character');
    }
  });

  it('GET /barriers: bad filters', async () => {
    expectProblem(
      await api.call('GET', '/api/v1/barriers?stage=moon', { token: lead }),
      400,
      'query.stage',
    );
    expectProblem(
      await api.call('GET', '/api/v1/barriers?limit=1000', { token: lead }),
      400,
      'query.limit',
    );
    expectProblem(
      await api.call('GET', '/api/v1/barriers?breached=yes', { token: lead }),
      400,
      'query.breached',
    );
    expectProblem(
      await api.call('GET', '/api/v1/barriers?cursor=nonsense', { token: lead }),
      400,
      'query.cursor',
    );
    expectProblem(
      await api.call('GET', '/api/v1/barriers?colour=red', { token: lead }),
      400,
      /^query\.colour$/,
    );
  });

  it('directory and policy endpoints', async () => {
    const before = await snapshot();
    expectProblem(
      await api.call('PUT', '/api/v1/localities/atlantis/assignments', {
        token: adminToken,
        body: { leads: ['a@example.org'] },
      }),
      400,
      'path.locality',
    );
    expectProblem(
      await api.call('PUT', '/api/v1/localities/wigan/assignments', {
        token: adminToken,
        body: { leads: ['ghost@example.org'] },
      }),
      400,
      'body',
    );
    expectProblem(
      await api.call('PUT', '/api/v1/localities/wigan/neighbourhoods/leigh/assignments', {
        token: adminToken,
        body: {},
      }),
      400,
      'body',
    );
    expectProblem(
      await api.call('PUT', '/api/v1/people/not-an-email', {
        token: adminToken,
        body: { name: 'x' },
      }),
      400,
      'path.email',
    );
    expectProblem(
      await api.call('PUT', '/api/v1/people/new@example.org', {
        token: adminToken,
        body: { name: 'x', roles: ['king'] },
      }),
      400,
      'body.roles.0',
    );
    expectProblem(
      await api.call('POST', '/api/v1/policies', {
        token: adminToken,
        body: { version: 2, name: 'x', calendar: '24x7', reopenWindow: 'P1M', stages: {} },
      }),
      400,
      'body.reopenWindow',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('wrong content type is 415, malformed JSON 400, an oversized body 413', async () => {
    const before = await snapshot();
    const res415 = await fetch(`${api.url}/api/v1/barriers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${lead}`, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res415.status).toBe(415);
    expect(res415.headers.get('content-type')).toMatch(/problem\+json/);
    expectProblem(
      await api.call('POST', '/api/v1/barriers', { token: lead, raw: '{"title": ' }),
      400,
      'body',
    );
    const huge = await api.call('POST', '/api/v1/barriers', {
      token: lead,
      body: { ...good, description: 'x'.repeat(200_000) },
    });
    expectProblem(huge, 413);
    expect(await snapshot()).toEqual(before);
  });
});

describe('tokens', () => {
  const claims = { role: 'locality-lead', locality: 'wigan' };
  const sign = (secret: string, payload: Record<string, unknown>, exp = '1h') =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(localityLead('wigan').sub)
      .setIssuer('golden-thread')
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(secret));

  it.each([
    ['missing', undefined],
    ['not a JWT', 'hello'],
    [
      'unsigned (alg none)',
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'a@example.org', role: 'admin', iss: 'golden-thread' })).toString('base64url')}.`,
    ],
  ])('%s is 401', async (_n, token) => {
    expectProblem(await api.call('GET', '/api/v1/barriers', { token }), 401);
  });

  it('another secret, expired, or missing claims are 401; a good one is 200', async () => {
    expectProblem(
      await api.call('GET', '/api/v1/barriers', {
        token: await sign('another-secret-another-secret-1234', claims),
      }),
      401,
    );
    expectProblem(
      await api.call('GET', '/api/v1/barriers', {
        token: await sign(TEST_AUTH_SECRET, claims, '-1m'),
      }),
      401,
    );
    const noLocality = await api.call('GET', '/api/v1/barriers', {
      token: await sign(TEST_AUTH_SECRET, { role: 'locality-lead' }),
    });
    expectProblem(noLocality, 401);
    expect(noLocality.body.detail).toMatch(/missing claims/);
    expect(
      (await api.call('GET', '/api/v1/barriers', { token: await sign(TEST_AUTH_SECRET, claims) }))
        .status,
    ).toBe(200);
  });

  it('takes who the caller is from a development token, and what they may do from the directory', async () => {
    // A role the directory does not give them is refused, whatever the token says.
    const claimsAdmin = await sign(TEST_AUTH_SECRET, { role: 'admin' });
    const refused = await api.call('GET', '/api/v1/policies', { token: claimsAdmin });
    expectProblem(refused, 403);
    expect(refused.body.detail).toMatch(/does not hold the role admin/);
    // A locality in the token is ignored: the directory says Wigan.
    const claimsBolton = await sign(TEST_AUTH_SECRET, {
      role: 'locality-lead',
      locality: 'bolton',
    });
    const listed = await api.call('GET', '/api/v1/barriers?locality=bolton', {
      token: claimsBolton,
    });
    expectProblem(listed, 403);
    expect(listed.body.detail).toMatch(/wigan only/);
  });

  it('a tampered token is 401', async () => {
    const [h, p, s] = lead.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url')}.${s}`;
    expectProblem(await api.call('GET', '/api/v1/policies', { token: forged }), 401);
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1, generated from the request schemas', async () => {
    const res = await api.call('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const raise = res.body.components.schemas.RaiseBarrier;
    expect(raise.required).toEqual(
      expect.arrayContaining(['title', 'description', 'locality', 'neighbourhood', 'category']),
    );
    expect(raise.properties.category.enum).toContain('data-sharing');
    expect(raise.properties.focusArea.enum).toContain('rough-sleeping');
    expect(raise.additionalProperties).toBe(false);
    expect(
      res.body.components.schemas.BarrierAction.oneOf ??
        res.body.components.schemas.BarrierAction.anyOf,
    ).toHaveLength(15);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/barriers',
        '/barriers/{id}',
        '/barriers/{id}/actions',
        '/localities',
        '/policies',
      ]),
    );
  });
});
