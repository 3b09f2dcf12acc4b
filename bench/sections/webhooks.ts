/**
 * 7. Webhooks: what subscriptions cost an action's round trip (raise then
 * acknowledge, through the API, one at a time): without subscriptions, with
 * three paused ones that want every event (their deliveries recorded on the
 * action's path, nothing sent), and while the three deliver that backlog and
 * the new events (delivery competing for the same cores); and how many
 * deliveries a second reach fast receivers on loopback (each subscription
 * delivers one at a time, in order).
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
  // Paused, each event's deliveries are recorded on the action's path and nothing is sent:
  // what subscriptions cost the action itself.
  for (const id of subs) await h.call('POST', `/api/v1/webhooks/${id}/pause`, h.admin, {});
  const recording = await roundTrips(rounds, `${SUBSCRIBERS} paused subscriptions`);

  // Resumed with that backlog: deliveries a second, and actions while they are being sent.
  const pending = () =>
    h.store.models.WebhookDelivery.countDocuments({
      subscriptionId: { $in: subs },
      status: 'pending',
    });
  const backlog = await pending();
  const t0 = performance.now();
  for (const id of subs)
    await h.call('POST', `/api/v1/webhooks/${id}/resume`, h.admin, { missed: 'deliver' });
  const delivering = await roundTrips(rounds, `${SUBSCRIBERS} subscriptions delivering`);
  // Each round is a raise (raised, routed) and an acknowledgement: three events for each subscriber.
  const total = backlog + rounds * 3 * SUBSCRIBERS;
  for (;;) {
    const left = await pending();
    if (left === 0) break;
    say(`webhooks: ${left} deliveries left`);
    await sleep(500);
  }
  const deliverMs = performance.now() - t0;
  // Sections after this one measure without subscriptions.
  for (const id of subs) await h.call('DELETE', `/api/v1/webhooks/${id}`, h.admin);
  const rate = perSecond(total, deliverMs);
  const duplicates = receivers.reduce((n, r) => n + (r.requests() - r.ids.size), 0);
  const received = receivers.reduce((n, r) => n + r.ids.size, 0);
  const ms = (v: number) => Math.round(v * 10) / 10;
  h.record({
    name: `Webhooks: ${SUBSCRIBERS} subscribers on loopback`,
    rows: [
      {
        what: 'action round trip, no subscriptions',
        value: without.p50,
        unit: 'ms',
        detail: without,
      },
      {
        what: `action round trip, ${SUBSCRIBERS} subscriptions recording (paused)`,
        value: recording.p50,
        unit: 'ms',
        detail: recording,
      },
      {
        what: `action round trip while ${SUBSCRIBERS} subscriptions deliver (same 2 cores)`,
        value: delivering.p50,
        unit: 'ms',
        detail: delivering,
      },
      {
        what: 'added by recording deliveries (p50)',
        value: ms(recording.p50 - without.p50),
        unit: 'ms',
      },
      { what: 'deliveries sent', value: total, unit: '' },
      {
        what: 'delivery rate, all subscribers (actions running alongside)',
        value: rate,
        unit: 'deliveries/s',
      },
      {
        what: 'delivery rate, per subscriber',
        value: ms(rate / SUBSCRIBERS),
        unit: 'deliveries/s',
      },
      { what: 'webhook-ids received twice', value: duplicates, unit: '' },
    ],
    ratio: {
      what: 'action round trip with subscriptions recording / without (p50)',
      value: Math.round((recording.p50 / without.p50) * 100) / 100,
    },
    targets: [{ what: 'every delivery arrived once', met: duplicates === 0 && received === total }],
  });
}
