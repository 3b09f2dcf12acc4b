import { describe, expect, it } from 'vitest';
import { barrierWebhookType, askWebhookType, subscriptionWants } from './events.ts';
import { deliveryOrder } from './order.ts';
import { shouldDisable } from './settings.ts';
import { isPrivateAddress, webhookUrlProblem } from './url.ts';

describe('webhook event types', () => {
  it('name each barrier and ask event a subscriber hears, and leave out the rest', () => {
    expect(barrierWebhookType('info-requested')).toBe('barrier.paused');
    expect(barrierWebhookType('info-provided')).toBe('barrier.resumed');
    expect(barrierWebhookType('reassigned')).toBe('barrier.assigned');
    expect(barrierWebhookType('comment')).toBeNull();
    expect(barrierWebhookType('warning')).toBeNull();
    expect(askWebhookType('ask-outcome')).toBe('ask.answered');
    expect(askWebhookType('created')).toBeNull();
  });

  it('match a subscription by type and, when it names one, by locality', () => {
    const all = { eventTypes: ['barrier.raised'], locality: null };
    const bury = { eventTypes: ['barrier.raised'], locality: 'bury' };
    expect(subscriptionWants(all, 'barrier.raised', ['wigan'])).toBe(true);
    expect(subscriptionWants(all, 'barrier.resolved', ['wigan'])).toBe(false);
    expect(subscriptionWants(bury, 'barrier.raised', ['wigan'])).toBe(false);
    expect(subscriptionWants(bury, 'barrier.raised', ['wigan', 'bury'])).toBe(true);
  });
});

describe('the order deliveries go in', () => {
  it('is oldest first, each subject’s events by seq even when recording times disagree', () => {
    const rows = [
      { _id: 'a3', subjectId: 'A', seq: 3, createdAt: 100 },
      { _id: 'b1', subjectId: 'B', seq: 1, createdAt: 150 },
      // Recorded "earlier" by a worker whose clock runs behind.
      { _id: 'a4', subjectId: 'A', seq: 4, createdAt: 90 },
      { _id: 'a5', subjectId: 'A', seq: 5, createdAt: 200 },
    ];
    expect(deliveryOrder(rows).map((r) => r._id)).toEqual(['a3', 'a4', 'b1', 'a5']);
  });
});

describe('disabling a failing subscription', () => {
  it('needs both the number of failures and the time they span', () => {
    const s = { disableAfterFailures: 3, disableAfterMs: 1_000 };
    expect(shouldDisable(s, 3, 0, 999)).toBe(false);
    expect(shouldDisable(s, 2, 0, 5_000)).toBe(false);
    expect(shouldDisable(s, 3, 0, 1_000)).toBe(true);
  });
});

describe('webhook URLs', () => {
  it('are https, and loopback or private only where configuration allows', () => {
    expect(webhookUrlProblem('https://hooks.example.org/gt', false)).toBeNull();
    expect(webhookUrlProblem('http://hooks.example.org/gt', false)).toMatch(/https/);
    expect(webhookUrlProblem('https://127.0.0.1/gt', false)).toMatch(/private/);
    expect(webhookUrlProblem('https://[::1]/gt', false)).toMatch(/private/);
    expect(webhookUrlProblem('https://localhost/gt', false)).toMatch(/private/);
    expect(webhookUrlProblem('https://user:pw@example.org/', false)).toMatch(/password/);
    expect(webhookUrlProblem('not a url', false)).toMatch(/absolute URL/);
    expect(webhookUrlProblem('http://127.0.0.1:8080/gt', true)).toBeNull();
    expect(webhookUrlProblem('ftp://example.org/', true)).toMatch(/https/);
  });

  it('know private addresses, v4 and v6', () => {
    for (const a of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '127.0.0.1',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '0.0.0.0',
      // IPv4 carried in IPv6 in hex, as the URL parser writes [::ffff:127.0.0.1].
      '[::ffff:7f00:1]',
      '::ffff:a9fe:a9fe',
      '64:ff9b::7f00:1',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '2a00:1450::1', '100.128.0.1', '::ffff:808:808'])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuse a URL that reaches loopback or the metadata address through IPv6', () => {
    for (const raw of ['https://[::ffff:127.0.0.1]/hook', 'https://[::ffff:169.254.169.254]/'])
      expect(webhookUrlProblem(raw, false), raw).toMatch(/loopback, private or link-local/);
  });
});
