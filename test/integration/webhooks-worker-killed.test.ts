/**
 * A worker process killed (SIGKILL) in the middle of webhook deliveries, and
 * another started: afterwards each receiver holds every event, and a
 * webhook-id it received twice is one the delivery log counts as attempted
 * twice (a logged retry), never a second delivery of its own.
 */
import { afterAll, describe, expect, inject } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks/events.ts';
import type { TestApi } from '../support/api.ts';
import { stackTest } from '../support/fixtures.ts';
import { admin, localityLead } from '../support/people.ts';
import { runScript, until } from '../support/processes.ts';
import { TEST_BASE_URL, type TestStack } from '../support/stack.ts';
import { startReceiver, type Receiver } from '../support/webhook-receivers.ts';

const WEBHOOK_ENV = {
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_ATTEMPT_TIMEOUT_SECONDS: '1',
  WEBHOOK_RETRY_FIRST_SECONDS: '0.2',
  WEBHOOK_RETRY_MAX_SECONDS: '1',
  WEBHOOK_POLL_SECONDS: '1',
};

const it = stackTest('webhooks-crash', { worker: false, api: { env: WEBHOOK_ENV } });
const receivers: Receiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

describe('webhooks across a worker killed mid-delivery', () => {
  it('deliver every event to each receiver, repeating an id only as a logged retry', async ({
    stack,
    api,
  }: {
    stack: TestStack;
    api: TestApi;
  }) => {
    const workerEnv = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      MONGODB_URI: stack.mongodbUri,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      PUBLIC_BASE_URL: TEST_BASE_URL,
      ...WEBHOOK_ENV,
    };
    const first = runScript('worker/main.ts', workerEnv);
    await until('the worker process to poll', () => first.output().includes('polling task queue'));
    const adminToken = await api.token(admin());
    const lead = await api.token(localityLead('wigan'));
    const fast = await startReceiver({ kind: 'ok' });
    const slow = await startReceiver({ kind: 'slow', delayMs: 400 });
    receivers.push(fast, slow);
    const subs: { receiver: Receiver; id: string }[] = [];
    for (const receiver of [fast, slow]) {
      const res = await api.call('POST', '/api/v1/webhooks', {
        token: adminToken,
        body: { name: 'Crash test', url: receiver.url, eventTypes: [...WEBHOOK_EVENT_TYPES] },
      });
      expect(res.status).toBe(201);
      receiver.secrets.push(res.body.secret);
      subs.push({ receiver, id: res.body.webhook.id });
    }

    const BARRIERS = 6;
    const ids: string[] = [];
    for (let i = 0; i < BARRIERS; i++) {
      const res = await api.call('POST', '/api/v1/barriers', {
        token: lead,
        body: {
          title: `Crash ${i}`,
          description: 'd',
          locality: 'wigan',
          neighbourhood: 'leigh',
          category: 'funding',
        },
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    // Kill the worker while the slow receiver holds a request unanswered.
    await until(
      'a slow delivery under way',
      () => slow.requests.length >= 3 && slow.requests.at(-1)!.answered === null,
      30_000,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const cutShort = slow.requests.at(-1)!.id;

    const second = runScript('worker/main.ts', workerEnv);
    await until('the second worker to poll', () => second.output().includes('polling task queue'));

    const expected = BARRIERS * 2; // raised and routed, each
    for (const { receiver } of subs)
      await until(
        `${receiver.url} to hold every event`,
        () => new Set(receiver.accepted.map((a) => a.id)).size >= expected,
        90_000,
      );

    for (const { receiver, id } of subs) {
      const deliveries = await stack.store.models.WebhookDelivery.find({
        subscriptionId: id,
      }).lean();
      expect(deliveries).toHaveLength(expected);
      expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
      // Every event, each barrier's in order (first arrivals).
      const firstArrivals = [...new Map(receiver.accepted.map((a) => [a.id, a])).values()];
      expect(new Set(firstArrivals.map((a) => a.id))).toEqual(
        new Set(deliveries.map((d) => d._id)),
      );
      for (const barrier of ids)
        expect(firstArrivals.filter((a) => a.subjectId === barrier).map((a) => a.type)).toEqual([
          'barrier.raised',
          'barrier.routed',
        ]);
      // An id received k times was attempted at least k times, by the log.
      const attempts = new Map(deliveries.map((d) => [d._id, d.attempts]));
      const counts = new Map<string, number>();
      for (const r of receiver.requests) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
      for (const [webhookId, k] of counts)
        expect(attempts.get(webhookId)!).toBeGreaterThanOrEqual(k);
    }
    // The delivery cut short was attempted again, and the log says so.
    const retried = await stack.store.models.WebhookDelivery.findById(cutShort).lean();
    expect(retried!.attempts).toBeGreaterThanOrEqual(2);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
