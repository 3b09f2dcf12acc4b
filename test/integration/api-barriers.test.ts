/**
 * Every barrier action through the real API, on the dev server and FerretDB,
 * read back from GET /barriers/:id.
 */
import { describe, expect } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import {
  admin,
  gmcaTriage,
  localityLead,
  neighbourhood,
  neighbourhoodLead,
} from '../support/people.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

const it = stackTest('api');
let stack: TestStack;
let api: TestApi;
let wiganLead: string;
let leighLead: string;
let triage: string;
let adminToken: string;

it.beforeAll(async ({ stack: s, api: a }) => {
  [stack, api] = [s, a];
  [wiganLead, leighLead, triage, adminToken] = await Promise.all([
    api.token(localityLead('wigan')),
    api.token(neighbourhoodLead('wigan', 'leigh')),
    api.token(gmcaTriage()),
    api.token(admin()),
  ]);
});

const raiseBody = (title = 'Data-sharing agreement blocks joint caseload') => ({
  title,
  description: 'Housing and health teams in Leigh cannot share a caseload list.',
  locality: 'wigan',
  neighbourhood: 'leigh',
  category: 'data-sharing',
  focusArea: 'health-inclusion',
  gmModelFeature: 'shared-information',
  peopleAffected: 340,
  evidence: [{ title: 'Caseload audit', url: 'https://example.org/audit.pdf' }],
});

async function raise(title?: string) {
  const res = await api.call('POST', '/api/v1/barriers', {
    token: wiganLead,
    body: raiseBody(title),
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; [k: string]: any };
}

const act = (id: string, token: string, body: unknown) =>
  api.call('POST', `/api/v1/barriers/${id}/actions`, { token, body });
const types = (b: { timeline: { type: string }[] }) => b.timeline.map((e) => e.type);

describe('raising a barrier', () => {
  it('routes it to the neighbourhood lead with working-time SLA clocks', async () => {
    const res = await api.call('POST', '/api/v1/barriers', { token: wiganLead, body: raiseBody() });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/barriers/${res.body.id}`);
    expect(res.body).toMatchObject({
      reference: expect.stringMatching(/^GT-\d{4,}$/),
      stage: 'neighbourhood',
      status: 'open',
      owner: { email: neighbourhood('wigan', 'leigh').lead, reason: 'neighbourhood-lead' },
      policyVersion: { id: 'default', version: 1 },
      peopleAffected: 340,
      sla: {
        stage: 'neighbourhood',
        calendar: 'working-hours-england-and-wales',
        paused: false,
        breached: false,
      },
    });
    expect(Date.parse(res.body.sla.acknowledgeDueAt)).toBeGreaterThan(
      Date.parse(res.body.raisedAt),
    );
    expect(types(res.body)).toEqual(['raised', 'routed']);
    for (const e of res.body.timeline)
      expect(Object.keys(e).sort()).toEqual([
        'actor',
        'at',
        'barrierId',
        'details',
        'seq',
        'stage',
        'type',
      ]);
  });

  it('with the same Idempotency-Key and body returns the same barrier; another body is 409', async () => {
    const headers = { 'idempotency-key': `raise-${Date.now()}` };
    const a = await api.call('POST', '/api/v1/barriers', {
      token: wiganLead,
      body: raiseBody('Idempotent'),
      headers,
    });
    const b = await api.call('POST', '/api/v1/barriers', {
      token: wiganLead,
      body: raiseBody('Idempotent'),
      headers,
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(await stack.store.models.Barrier.countDocuments({ title: 'Idempotent' })).toBe(1);
    const c = await api.call('POST', '/api/v1/barriers', {
      token: wiganLead,
      body: raiseBody('Something else'),
      headers,
    });
    expect(c.status).toBe(409);
    expect(c.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await stack.store.models.Barrier.countDocuments({ title: 'Something else' })).toBe(0);
  });

  it('never attaches a new barrier to an existing workflow when the id counter is behind Temporal', async () => {
    const older = await raise('Older barrier');
    const n = Number(older.id.slice(3));
    // As if the database were restored from a backup taken before `older` was
    // raised (its number unclaimed, the counter before it) and the API restarted.
    await stack.store.models.Counter.updateOne({ _id: 'barrier' }, { $set: { value: n - 1 } });
    await stack.store.models.SequenceClaim.deleteOne({ _id: `barrier:${n}` });
    const restarted = await startTestApi(stack);
    try {
      const res = await restarted.call('POST', '/api/v1/barriers', {
        token: wiganLead,
        body: raiseBody('Raised after the restore'),
      });
      expect(res.status).toBe(201);
      expect(Number(res.body.id.slice(3))).toBeGreaterThan(n);
      expect(res.body.title).toBe('Raised after the restore');
      // It did try the restored number, found its workflow in Temporal, and moved on.
      expect(restarted.logs().join('\n')).toContain('barrier id already used in Temporal');
    } finally {
      await restarted.close();
    }
    const kept = await api.call('GET', `/api/v1/barriers/${older.id}`, { token: wiganLead });
    expect(kept.body.title).toBe('Older barrier');
  });

  it('is only for locality leads in their own locality', async () => {
    const other = await api.call('POST', '/api/v1/barriers', {
      token: await api.token(localityLead('bolton')),
      body: raiseBody(),
    });
    expect(other.status).toBe(403);
    expect(other.body.detail).toMatch(/bolton only/);
    expect(
      (await api.call('POST', '/api/v1/barriers', { token: leighLead, body: raiseBody() })).status,
    ).toBe(403);
  });
});

describe('acting on a barrier', () => {
  it('takes every lifecycle action and shows it on the timeline', async () => {
    const { id } = await raise('Every action');
    const ack = await act(id, leighLead, { type: 'acknowledge', note: 'Looking at it' });
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledged).toBe(true);
    expect(ack.body.sla.acknowledgeDueAt).toBeNull();

    expect(
      (await act(id, leighLead, { type: 'comment', text: 'Spoke to the IG lead.' })).status,
    ).toBe(200);
    const paused = await act(id, leighLead, {
      type: 'request-info',
      reason: 'awaiting-information',
      question: 'Which datasets?',
    });
    expect(paused.body.sla).toMatchObject({
      paused: true,
      pauseReason: 'awaiting-information',
      resolveDueAt: null,
    });
    const resumed = await act(id, wiganLead, {
      type: 'provide-info',
      response: 'Housing register and GP list.',
    });
    expect(resumed.body.sla.paused).toBe(false);

    const deputy = neighbourhood('wigan', 'leigh').deputy;
    const reassigned = await act(id, leighLead, { type: 'reassign', to: deputy, reason: 'Leave' });
    expect(reassigned.body.owner.email).toBe(deputy);

    const escalated = await act(id, wiganLead, {
      type: 'escalate',
      reason: 'Needs the locality board',
    });
    expect(escalated.body).toMatchObject({
      stage: 'locality',
      owner: { email: localityLead('wigan').sub, reason: 'locality-lead' },
      acknowledged: false,
    });

    const resolved = await act(id, wiganLead, { type: 'resolve', resolution: 'Agreement signed.' });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: 'Agreement signed.' });
    expect(resolved.body.reopenUntil).not.toBeNull();

    const reopened = await act(id, wiganLead, {
      type: 'reopen',
      reason: 'Agreement withdrawn by a partner.',
    });
    expect(reopened.body).toMatchObject({ status: 'open', cycle: 2, stage: 'locality' });

    const withdrawn = await act(id, wiganLead, {
      type: 'withdraw',
      reason: 'Raised again as a new barrier.',
    });
    expect(withdrawn.body.status).toBe('withdrawn');

    const got = await api.call('GET', `/api/v1/barriers/${id}`, { token: wiganLead });
    expect(types(got.body)).toEqual([
      'raised',
      'routed',
      'acknowledged',
      'comment',
      'info-requested',
      'info-provided',
      'reassigned',
      'escalated',
      'routed',
      'resolved',
      'reopened',
      'routed',
      'withdrawn',
    ]);
    expect(got.body.timeline.map((e: { seq: number }) => e.seq)).toEqual(
      got.body.timeline.map((_: unknown, i: number) => i + 1),
    );
    expect(got.body.timeline.find((e: { type: string }) => e.type === 'comment')).toMatchObject({
      actor: neighbourhood('wigan', 'leigh').lead,
      details: { text: 'Spoke to the IG lead.' },
    });
  });

  it('migrates an open barrier to a newer policy version (admin), recorded on its timeline', async () => {
    const { id } = await raise('Policy migration');
    const created = await api.call('POST', '/api/v1/policies', {
      token: adminToken,
      body: {
        id: 'default',
        version: 2,
        name: 'Faster neighbourhood response',
        calendar: 'working-hours-england-and-wales',
        reopenWindow: 'P10D',
        stages: {
          neighbourhood: { acknowledge: 'PT4H', resolve: 'P5D' },
          locality: { acknowledge: 'P1D', resolve: 'P10D' },
          gmca: { acknowledge: 'P2D', resolve: 'P20D' },
          whitehall: { acknowledge: 'P5D', resolve: 'P20D' },
        },
      },
    });
    expect(created.status).toBe(201);
    expect((await act(id, wiganLead, { type: 'migrate-policy', policyVersion: 2 })).status).toBe(
      403,
    );
    const migrated = await act(id, adminToken, { type: 'migrate-policy', policyVersion: 2 });
    expect(migrated.status).toBe(200);
    expect(migrated.body.policyVersion).toEqual({ id: 'default', version: 2 });
    expect(migrated.body.timeline.at(-1)).toMatchObject({
      type: 'policy-migrated',
      details: { from: { version: 1 }, to: { version: 2 } },
    });
    // New barriers start on the newest version.
    expect((await raise('After v2')).policyVersion).toEqual({ id: 'default', version: 2 });
  });

  it('answers 422 saying why when the state does not allow an action, and changes nothing', async () => {
    const { id } = await raise('Not now');
    const res = await act(id, wiganLead, { type: 'provide-info', response: 'x' });
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/not paused/);
    await act(id, wiganLead, { type: 'acknowledge' });
    const again = await act(id, wiganLead, { type: 'acknowledge' });
    expect(again.status).toBe(422);
    expect(again.body.detail).toMatch(/already acknowledged/);
    const got = await api.call('GET', `/api/v1/barriers/${id}`, { token: wiganLead });
    expect(types(got.body)).toEqual(['raised', 'routed', 'acknowledged']);
  });

  it('keeps roles to their stages (403) and hides other areas (404)', async () => {
    const { id } = await raise('Scope');
    expect((await act(id, triage, { type: 'acknowledge' })).status).toBe(403);
    expect((await act(id, triage, { type: 'comment', text: 'GMCA is watching.' })).status).toBe(
      200,
    );
    const otherHood = await api.token(neighbourhoodLead('wigan', 'wigan-central'));
    expect((await api.call('GET', `/api/v1/barriers/${id}`, { token: otherHood })).status).toBe(
      404,
    );
    expect((await act(id, otherHood, { type: 'comment', text: 'x' })).status).toBe(404);
    const bolton = await api.token(localityLead('bolton'));
    expect((await api.call('GET', `/api/v1/barriers/${id}`, { token: bolton })).status).toBe(404);
    expect(
      (await api.call('GET', '/api/v1/barriers/GT-999999', { token: adminToken })).status,
    ).toBe(404);
  });
});

describe('listing barriers', () => {
  it("filters, sorts by next deadline and pages with a cursor, within the caller's scope", async () => {
    for (let i = 0; i < 3; i++) await raise(`Listed ${i}`);
    const page1 = await api.call(
      'GET',
      '/api/v1/barriers?locality=wigan&stage=neighbourhood&status=open&limit=2',
      { token: triage },
    );
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await api.call(
      'GET',
      `/api/v1/barriers?locality=wigan&stage=neighbourhood&status=open&limit=2&cursor=${page1.body.nextCursor}`,
      { token: triage },
    );
    const ids = [...page1.body.items, ...page2.body.items].map((b: { id: string }) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    const deadlines = [...page1.body.items, ...page2.body.items].map(
      (b: { sla: { nextDeadlineAt: string } }) => Date.parse(b.sla.nextDeadlineAt),
    );
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));

    const mine = await api.call(
      'GET',
      `/api/v1/barriers?owner=${neighbourhood('wigan', 'leigh').lead}`,
      { token: leighLead },
    );
    expect(mine.body.items.length).toBeGreaterThan(0);
    for (const b of mine.body.items) expect(b.neighbourhood).toBe('leigh');
    expect(
      (await api.call('GET', '/api/v1/barriers?locality=bolton', { token: wiganLead })).status,
    ).toBe(403);
    const byRaised = await api.call('GET', '/api/v1/barriers?sort=raisedAt&limit=3', {
      token: wiganLead,
    });
    const raised = byRaised.body.items.map((b: { raisedAt: string }) => Date.parse(b.raisedAt));
    expect(raised).toEqual([...raised].sort((a, b) => b - a));
    expect(
      (await api.call('GET', '/api/v1/barriers?breached=true', { token: wiganLead })).body.items,
    ).toEqual([]);
  });
});
