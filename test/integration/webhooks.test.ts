/**
 * Webhooks end to end: subscriptions through the API, deliveries through the
 * worker's Temporal workflows, to real HTTP receivers on loopback that verify
 * each signature with the `standardwebhooks` library. Retries, timeouts and
 * the disable threshold are configured short so this runs in seconds.
 */
import { afterAll, describe, expect } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { TestApi } from '../support/api.ts';
import { stackTest } from '../support/fixtures.ts';
import { admin, localityLead } from '../support/people.ts';
import { until } from '../support/processes.ts';
import type { TestStack } from '../support/stack.ts';
import { startReceiver, type Receiver } from '../support/webhook-receivers.ts';
import { WEBHOOK_EVENT_TYPES, barrierWebhookType } from '../../domain/webhooks/events.ts';

const SETTINGS = {
  attemptTimeoutMs: 1_000,
  retryFirstMs: 200,
  retryMaxMs: 800,
  disableAfterFailures: 4,
  disableAfterMs: 0,
  pollMs: 2_000,
};

const it = stackTest('webhooks', {
  worker: false,
  api: { env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } },
});
let stack: TestStack;
let api: TestApi;
let adminToken: string;
let wiganLead: string;
const receivers: Receiver[] = [];

it.beforeAll(async ({ stack: s, api: a }) => {
  [stack, api] = [s, a];
  await stack.startWorker(undefined, { webhooks: { allowPrivate: true, settings: SETTINGS } });
  [adminToken, wiganLead] = await Promise.all([
    api.token(admin()),
    api.token(localityLead('wigan')),
  ]);
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function subscribe(receiver: Receiver, name: string, extra: Record<string, unknown> = {}) {
  const res = await api.call('POST', '/api/v1/webhooks', {
    token: adminToken,
    body: { name, url: receiver.url, eventTypes: [...WEBHOOK_EVENT_TYPES], ...extra },
  });
  expect(res.status).toBe(201);
  receiver.secrets.push(res.body.secret);
  return res.body.webhook as { id: string };
}

const act = async (id: string, body: unknown) => {
  const res = await api.call('POST', `/api/v1/barriers/${id}/actions`, { token: adminToken, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe('webhook deliveries', () => {
  it('every event of a barrier’s life reaches each subscriber in order, signed; a failing one catches up with the same ids; a dead one is disabled without delaying the others', async () => {
    const [fast, flaky, dead, slow] = await Promise.all([
      startReceiver({ kind: 'ok' }),
      startReceiver({ kind: 'fail-first', failures: 3 }),
      startReceiver({ kind: 'never-answer' }),
      startReceiver({ kind: 'slow', delayMs: 300 }),
    ]);
    receivers.push(fast, flaky, dead, slow);
    await subscribe(fast, 'Case management');
    await subscribe(flaky, 'Warehouse');
    const deadSub = await subscribe(dead, 'Board papers');
    await subscribe(slow, 'Teams bridge');

    const raised = await api.call('POST', '/api/v1/barriers', {
      token: wiganLead,
      body: {
        title: 'Pooled budget blocked',
        description: 'Grant conditions forbid pooling.',
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'funding',
      },
    });
    expect(raised.status).toBe(201);
    const id = raised.body.id as string;
    await act(id, { type: 'acknowledge' });
    await act(id, {
      type: 'request-info',
      reason: 'awaiting-information',
      question: 'Which grant conditions apply?',
    });
    await act(id, { type: 'provide-info', response: 'The grant letter is attached.' });
    await act(id, { type: 'escalate', reason: 'Needs the locality' });
    await act(id, { type: 'resolve', resolution: 'Pooling agreed under a section 75.' });
    await act(id, { type: 'reopen', reason: 'The agreement fell through' });
    const last = await act(id, { type: 'withdraw', reason: 'Superseded by a GM-wide fund' });

    // What each subscriber should hear: the timeline's events that are webhook events, in order.
    const expected = (last.timeline as { seq: number; type: string; at: string }[])
      .filter((e) => barrierWebhookType(e.type) !== null)
      .map((e) => ({ seq: e.seq, type: barrierWebhookType(e.type), at: Date.parse(e.at) }));
    expect(expected.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'barrier.raised',
        'barrier.routed',
        'barrier.acknowledged',
        'barrier.paused',
        'barrier.resumed',
        'barrier.escalated',
        'barrier.resolved',
        'barrier.reopened',
        'barrier.withdrawn',
      ]),
    );
    const ofBarrier = (r: Receiver) => r.accepted.filter((a) => a.subjectId === id);
    for (const r of [fast, slow, flaky])
      await until(
        `${r.url} to accept ${expected.length} events`,
        () => ofBarrier(r).length >= expected.length,
        60_000,
      );
    for (const r of [fast, slow, flaky]) {
      // In order, each once, every signature verified.
      expect(ofBarrier(r).map((a) => ({ seq: a.seq, type: a.type }))).toEqual(
        expected.map((e) => ({ seq: e.seq, type: e.type })),
      );
      expect(r.requests.every((q) => q.verified)).toBe(true);
    }
    // The fast receiver heard each event promptly: the dead one, whose first event alone
    // takes its four attempts (over 5 s), held nobody else up.
    for (const a of ofBarrier(fast)) expect(a.receivedAt - a.at).toBeLessThan(5_000);

    // The failing receiver's failed requests carried the webhook-id it later accepted.
    const flakyIds = flaky.requests.map((q) => q.id);
    expect(flaky.requests.slice(0, 3).every((q) => q.answered === 500)).toBe(true);
    expect(new Set(flakyIds.slice(0, 4)).size).toBe(1);
    expect(ofBarrier(flaky)[0]!.id).toBe(flakyIds[0]);
    // Each subscriber has its own id for the same event; ids are stable per subscriber.
    expect(ofBarrier(fast)[0]!.id).not.toBe(ofBarrier(flaky)[0]!.id);

    // The dead receiver: disabled after its run of failures, and the page (the API) says why.
    await until(
      'the dead subscription to be disabled',
      async () =>
        (await api.call('GET', `/api/v1/webhooks/${deadSub.id}`, { token: adminToken })).body
          .status === 'disabled',
      60_000,
    );
    const deadNow = await api.call('GET', `/api/v1/webhooks/${deadSub.id}`, { token: adminToken });
    expect(deadNow.body.statusReason).toMatch(/4 attempts failed in a row/);
    expect(deadNow.body.statusReason).toMatch(/no complete answer within 1000 ms/);
    expect(dead.requests.length).toBe(4);
    // Every admin is told, once each, with a link to the page that says why.
    const told = await stack.mailbox.waitFor(
      (ms) => ms.some((m) => m.kind === 'webhook-disabled'),
      30_000,
    );
    const notices = told.filter((m) => m.kind === 'webhook-disabled');
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.map((m) => m.to).flat()).toContain(admin().sub);
    expect(notices[0]!.subject).toBe('Webhook Board papers was disabled');
    expect(notices[0]!.text).toContain(`/admin/webhooks/${deadSub.id}`);
    expect(new Set(dead.requests.map((q) => q.id)).size).toBe(1);

    // The log: the dead one's first delivery has its four attempts, no response.
    const log = await api.call('GET', `/api/v1/webhooks/${deadSub.id}/deliveries?limit=100`, {
      token: adminToken,
    });
    expect(log.status).toBe(200);
    const first = log.body.items.find((d: { id: string }) => d.id === dead.requests[0]!.id);
    expect(first).toMatchObject({ status: 'pending', attempts: 4, eventType: 'barrier.raised' });
    expect(first.log).toHaveLength(4);
    expect(first.log[0]).toMatchObject({ status: null });
  });

  it('re-enabling a disabled subscription sends what it missed, in order, or drops it, as the admin chooses', async () => {
    const receiver = await startReceiver({ kind: 'fail-first', failures: 4 });
    receivers.push(receiver);
    const sub = await subscribe(receiver, 'Comes back', { locality: 'bury' });
    const buryLead = await api.token(localityLead('bury'));
    const raise = async (title: string) => {
      const res = await api.call('POST', '/api/v1/barriers', {
        token: buryLead,
        body: {
          title,
          description: 'd',
          locality: 'bury',
          neighbourhood: 'prestwich',
          category: 'funding',
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const status = async () =>
      (await api.call('GET', `/api/v1/webhooks/${sub.id}`, { token: adminToken })).body.status;
    const a = await raise('Missed while down');
    await until('it to be disabled', async () => (await status()) === 'disabled', 60_000);
    const b = await raise('Also missed');
    const resumed = await api.call('POST', `/api/v1/webhooks/${sub.id}/resume`, {
      token: adminToken,
      body: { missed: 'deliver' },
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'active', failures: 0, statusReason: null });
    await until('the missed events to arrive', () => receiver.accepted.length >= 4, 30_000);
    expect(receiver.accepted.map((r) => [r.subjectId, r.type])).toEqual([
      [a, 'barrier.raised'],
      [a, 'barrier.routed'],
      [b, 'barrier.raised'],
      [b, 'barrier.routed'],
    ]);

    // Paused: events are kept; resumed with `drop`, they are never sent.
    const paused = await api.call('POST', `/api/v1/webhooks/${sub.id}/pause`, {
      token: adminToken,
      body: { reason: 'Their system is being upgraded' },
    });
    expect(paused.body).toMatchObject({ status: 'paused' });
    expect(paused.body.statusReason).toContain('Their system is being upgraded');
    const c = await raise('Dropped');
    await until('its deliveries to be recorded', async () =>
      (
        await api.call('GET', `/api/v1/webhooks/${sub.id}/deliveries?status=pending`, {
          token: adminToken,
        })
      ).body.items.some((d: { subjectId: string }) => d.subjectId === c),
    );
    await api.call('POST', `/api/v1/webhooks/${sub.id}/resume`, {
      token: adminToken,
      body: { missed: 'drop' },
    });
    const d = await raise('After the pause');
    await until('the next event to arrive', () => receiver.accepted.some((r) => r.subjectId === d));
    expect(receiver.accepted.some((r) => r.subjectId === c)).toBe(false);
    const dropped = await api.call('GET', `/api/v1/webhooks/${sub.id}/deliveries?status=dropped`, {
      token: adminToken,
    });
    expect(dropped.body.items.map((x: { subjectId: string }) => x.subjectId)).toContain(c);

    // Redeliver one event: the same webhook-id again, counted on the delivery.
    const firstId = receiver.accepted[0]!.id;
    const again = await api.call(
      'POST',
      `/api/v1/webhooks/${sub.id}/deliveries/${firstId}/redeliver`,
      { token: adminToken },
    );
    expect(again.status).toBe(202);
    await until(
      'the redelivery',
      () => receiver.accepted.filter((r) => r.id === firstId).length === 2,
    );
    const log = await api.call('GET', `/api/v1/webhooks/${sub.id}/deliveries?limit=100`, {
      token: adminToken,
    });
    expect(log.body.items.find((x: { id: string }) => x.id === firstId)).toMatchObject({
      status: 'delivered',
      redeliveries: 1,
    });

    // Every change is in the audit log, and no secret is.
    const audit = await api.call('GET', `/api/v1/audit?target=webhook:${sub.id}`, {
      token: adminToken,
    });
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual([
      'webhook.created',
      'webhook.paused',
      'webhook.redelivered',
      'webhook.resumed',
      'webhook.resumed',
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(receiver.secrets[0]!);
  });

  it('rotating the secret signs with both during the overlap, and refuses bad URLs by the field', async () => {
    const receiver = await startReceiver({ kind: 'ok' });
    receivers.push(receiver);
    const sub = await subscribe(receiver, 'Rotates', { eventTypes: ['barrier.raised'] });
    const rotated = await api.call('POST', `/api/v1/webhooks/${sub.id}/rotate-secret`, {
      token: adminToken,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(receiver.secrets[0]);
    expect(rotated.body.webhook.secrets).toHaveLength(2);
    const oldSecret = receiver.secrets[0]!;
    const newSecret = rotated.body.secret as string;
    receiver.secrets.splice(0, 1, newSecret);
    const renamed = await api.call('PATCH', `/api/v1/webhooks/${sub.id}`, {
      token: adminToken,
      body: { name: 'Rotates (new secret)' },
    });
    expect(renamed.body.name).toBe('Rotates (new secret)');
    await api.call('POST', '/api/v1/barriers', {
      token: wiganLead,
      body: {
        title: 'Rotation',
        description: 'd',
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'funding',
      },
    });
    await until('the raise to arrive', () => receiver.accepted.length > 0);
    // A receiver still on the old secret verifies it, and one already on the new.
    const sent = receiver.requests[0]!;
    expect(sent.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newSecret])
      expect(() => new Webhook(secret).verify(sent.body, sent.headers)).not.toThrow();
    // Nothing but the signature: no credential of Golden Thread goes with it.
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers.cookie).toBeUndefined();

    const bad = await api.call('POST', '/api/v1/webhooks', {
      token: adminToken,
      body: { name: 'x', url: 'ftp://example.org/', eventTypes: ['barrier.raised'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { field: 'body.url', reason: expect.stringMatching(/https/) },
    ]);
    const notAdmin = await api.call('GET', '/api/v1/webhooks', { token: wiganLead });
    expect(notAdmin.status).toBe(403);
  });

  it('an ask’s life reaches its subscribers: promoted, submitted, chased, answered and published', async () => {
    const receiver = await startReceiver({ kind: 'ok' });
    receivers.push(receiver);
    await subscribe(receiver, 'Board papers (asks)', {
      eventTypes: [
        'barrier.promoted',
        'ask.submitted',
        'ask.chased',
        'ask.answered',
        'ask.published',
      ],
      locality: 'wigan',
    });
    const raised = await api.call('POST', '/api/v1/barriers', {
      token: wiganLead,
      body: {
        title: 'Benefit rules stop a joint assessment',
        description: 'd',
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'regulation',
      },
    });
    const id = raised.body.id as string;
    await act(id, { type: 'escalate', reason: 'Needs the locality' });
    await act(id, { type: 'escalate', reason: 'Needs GMCA' });
    const promoted = await act(id, {
      type: 'promote',
      ask: { title: 'Let councils assess jointly', department: 'dwp', ask: 'Change the rule.' },
    });
    const askId = promoted.askId as string;
    const askAct = async (body: unknown) => {
      const res = await api.call('POST', `/api/v1/asks/${askId}/actions`, {
        token: adminToken,
        body,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await askAct({ type: 'submit' });
    await askAct({ type: 'chase', note: 'A reply, please.' });
    await askAct({ type: 'record-response', outcome: 'agreed', response: 'Agreed.' });
    const preview = await api.call('GET', `/api/v1/asks/${askId}/publication`, {
      token: adminToken,
    });
    expect(preview.status).toBe(200);
    const published = await api.call('PUT', `/api/v1/asks/${askId}/publication`, {
      token: adminToken,
      body: { previewTag: preview.body.previewTag },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    await until('the publication to arrive', () =>
      receiver.accepted.some((a) => a.type === 'ask.published'),
    );
    expect(receiver.accepted.map((a) => a.type)).toEqual([
      'barrier.promoted',
      'ask.submitted',
      'ask.chased',
      'ask.answered',
      'ask.published',
    ]);
    expect(receiver.accepted.slice(1).every((a) => a.subjectId === askId)).toBe(true);
    expect(receiver.requests.every((q) => q.verified)).toBe(true);
    const body = JSON.parse(receiver.requests.at(-1)!.body);
    expect(body.data.ask).toMatchObject({
      id: askId,
      outcome: 'agreed',
      status: expect.any(String),
    });
    expect(body.data.link).toMatch(new RegExp(`/asks/${askId}$`));
  });
});
