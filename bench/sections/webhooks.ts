/**
 * 7. Webhooks: what subscriptions cost an action's round trip (raise then
 * acknowledge, through the API, one at a time), without subscriptions and
 * with three that want every event; and how many deliveries a second reach
 * fast receivers on loopback once three paused subscriptions are resumed
 * with a backlog (each subscription delivers one at a time, in order).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks/events.ts';
import { perSecond, say, type Harness } from '../lib/harness.ts';
import { percentiles } from '../lib/stats.ts';

const SUBSCRIBERS = 3;

/** A receiver that answers 204 at once and counts what it got. */
async function fastReceiver() {
  const ids = new Set<string>();
  let requests = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      ids.add(String(req.headers['webhook-id']));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    ids,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function measureWebhooks(h: Harness): Promise<void> {
  const rounds = h.options.quick ? 20 : 100;
  const backlogBarriers = h.options.quick ? 40 : 200;
  /** Raise, then acknowledge: the round trip of each, in ms. */
  const roundTrips = async (n: number, label: string) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const b = await h.call('POST', '/api/v1/barriers', h.lead, h.raiseBody(i));
      const t1 = performance.now();
      await h.call('POST', `/api/v1/barriers/${String(b.id)}/actions`, h.admin, {
        type: 'acknowledge',
      });
      ms.push(t1 - t0, performance.now() - t1);
    }
    say(`webhooks: ${label}: ${n} raises and acknowledgements`);
    return percentiles(ms);
  };

  const without = await roundTrips(rounds, 'no subscriptions');
  const receivers = await Promise.all(Array.from({ length: SUBSCRIBERS }, fastReceiver));
  h.onStop(() => Promise.all(receivers.map((r) => r.close())));
  const subs: string[] = [];
  for (const [i, r] of receivers.entries()) {
    const created = await h.call('POST', '/api/v1/webhooks', h.admin, {
      name: `Bench receiver ${i}`,
      url: r.url,
      eventTypes: [...WEBHOOK_EVENT_TYPES],
    });
    subs.push(String((created.webhook as { id: string }).id));
  }
  const withSubs = await roundTrips(rounds, `${SUBSCRIBERS} subscriptions`);

  // A backlog held while paused, then delivered as fast as the receivers take it.
  for (const id of subs) await h.call('POST', `/api/v1/webhooks/${id}/pause`, h.admin, {});
  for (let i = 0; i < backlogBarriers; i++)
    await h.call('POST', '/api/v1/barriers', h.lead, h.raiseBody(i));
  const pending = () =>
    h.store.models.WebhookDelivery.countDocuments({
      subscriptionId: { $in: subs },
      status: 'pending',
    });
  const backlog = await pending();
  const t0 = performance.now();
  for (const id of subs)
    await h.call('POST', `/api/v1/webhooks/${id}/resume`, h.admin, { missed: 'deliver' });
  for (;;) {
    const left = await pending();
    if (left === 0) break;
    say(`webhooks: ${backlog - left}/${backlog} delivered`);
    await sleep(500);
  }
  const deliverMs = performance.now() - t0;
  const rate = perSecond(backlog, deliverMs);
  const duplicates = receivers.reduce((n, r) => n + (r.requests() - r.ids.size), 0);
  h.record({
    name: `Webhooks: ${SUBSCRIBERS} subscribers on loopback`,
    rows: [
      {
        what: 'action round trip, no subscriptions (p50)',
        value: without.p50,
        unit: 'ms',
        detail: without,
      },
      {
        what: `action round trip, ${SUBSCRIBERS} subscriptions (p50)`,
        value: withSubs.p50,
        unit: 'ms',
        detail: withSubs,
      },
      {
        what: 'added by subscriptions (p50)',
        value: Math.round((withSubs.p50 - without.p50) * 10) / 10,
        unit: 'ms',
      },
      { what: 'backlog delivered', value: backlog, unit: 'deliveries' },
      { what: 'delivery rate, all subscribers', value: rate, unit: 'deliveries/s' },
      {
        what: 'delivery rate, per subscriber',
        value: Math.round((rate / SUBSCRIBERS) * 10) / 10,
        unit: 'deliveries/s',
      },
      { what: 'webhook-ids received twice', value: duplicates, unit: '' },
    ],
    ratio: {
      what: 'action round trip with subscriptions / without (p50)',
      value: Math.round((withSubs.p50 / without.p50) * 100) / 100,
    },
    targets: [{ what: 'every delivery arrived once', met: duplicates === 0 }],
  });
}
