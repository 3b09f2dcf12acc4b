import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../barrier/types.ts';
import { planBarrierMessages } from './messages.ts';

const barrier = { id: 'GT-0042', raisedBy: 'raiser@example.org', owner: null };
let seq = 0;
const event = (
  type: TimelineEvent['type'],
  details: Record<string, unknown> = {},
  actor = 'system',
): TimelineEvent => ({ seq: ++seq, at: 0, type, stage: 'neighbourhood', actor, details });
const plan = (...events: TimelineEvent[]) =>
  planBarrierMessages(barrier, events).map((m) => `${m.kind} → ${m.to}`);

describe('planBarrierMessages', () => {
  it('tells a new owner once: assigned, or escalated after an escalation', () => {
    expect(
      plan(
        event('raised', {}, 'raiser@example.org'),
        event('routed', { owner: { email: 'lead@example.org' } }),
      ),
    ).toEqual(['assigned → lead@example.org']);
    expect(
      plan(
        event('breached', { owner: 'lead@example.org', clock: 'acknowledge' }),
        event('escalated', {
          from: 'neighbourhood',
          to: 'locality',
          automatic: true,
          previousOwner: 'lead@example.org',
        }),
        event('routed', { owner: { email: 'locality@example.org' } }),
      ),
    ).toEqual([
      'breached → lead@example.org',
      'escalated → raiser@example.org',
      'escalated → locality@example.org',
    ]);
  });

  it('never tells people about their own actions, and a person once per kind in a batch', () => {
    // The owner escalates by hand: the raiser and the new owner hear, the owner does not.
    expect(
      plan(
        event(
          'escalated',
          { automatic: false, previousOwner: 'lead@example.org' },
          'lead@example.org',
        ),
        event('routed', { owner: { email: 'raiser@example.org' } }),
      ),
    ).toEqual(['escalated → raiser@example.org']);
    expect(plan(event('resolved', {}, 'raiser@example.org'))).toEqual([]);
  });

  it('sends one warning per event, and a breach that stays to owner and raiser', () => {
    expect(
      plan(
        event('warning', { owner: 'lead@example.org', fraction: 0.5 }),
        event('warning', { owner: 'lead@example.org', fraction: 0.8 }),
        event('breached', { owner: 'lead@example.org' }),
      ),
    ).toEqual([
      'warning → lead@example.org',
      'warning → lead@example.org',
      'breached → lead@example.org',
      'breached → raiser@example.org',
    ]);
  });

  it('tells the raiser of questions and outcomes, and nobody of comments', () => {
    expect(
      plan(
        event('info-requested', {}, 'lead@example.org'),
        event('comment', {}, 'lead@example.org'),
        event('resolved', {}, 'lead@example.org'),
        event('withdrawn', {}, 'admin@example.org'),
      ),
    ).toEqual([
      'info-requested → raiser@example.org',
      'resolved → raiser@example.org',
      'closed → raiser@example.org',
    ]);
  });

  it('keys each message by barrier, event, kind and recipient', () => {
    const [m] = planBarrierMessages(barrier, [
      event('routed', { owner: { email: 'Lead@Example.org' } }),
    ]);
    expect(m!.key).toBe(`GT-0042:${m!.event.seq}:assigned:lead@example.org`);
  });
});

describe('followers', () => {
  const followed = {
    ...barrier,
    followers: ['fan@example.org', 'raiser@example.org', 'lead@example.org'],
  };
  const planFollowed = (...events: TimelineEvent[]) =>
    planBarrierMessages(followed, events).map(
      (m) => `${m.kind} → ${m.to}${m.follower ? ' (follower)' : ''}`,
    );

  it('hear of its progress and its end, once each, and not of their own acts', () => {
    expect(
      planFollowed(
        event(
          'escalated',
          { from: 'neighbourhood', to: 'locality', reason: 'r' },
          'lead@example.org',
        ),
      ),
    ).toEqual(['escalated → raiser@example.org', 'escalated → fan@example.org (follower)']);
    expect(planFollowed(event('resolved', { resolution: 'done' }, 'lead@example.org'))).toEqual([
      'resolved → raiser@example.org',
      'resolved → fan@example.org (follower)',
    ]);
  });

  it("never get the owner's reminders", () => {
    expect(
      planFollowed(
        event('warning', { owner: 'lead@example.org', clock: 'acknowledge' }),
        event('info-requested', { question: 'q' }, 'lead@example.org'),
      ),
    ).toEqual(['warning → lead@example.org', 'info-requested → raiser@example.org']);
  });
});

describe('imported barriers', () => {
  it('closed on import tell nobody, raiser and followers alike', () => {
    const b = { ...barrier, followers: ['follower@example.org'] };
    const events = [
      event('raised', {}, 'raiser@example.org'),
      event('imported', { source: 'log.csv', row: 2 }, 'admin@example.org'),
      event('resolved', { resolution: 'done', imported: true }, 'admin@example.org'),
    ];
    expect(planBarrierMessages(b, events)).toEqual([]);
    // The same closure taken by a person is news.
    expect(
      planBarrierMessages(b, [event('resolved', { resolution: 'done' }, 'admin@example.org')]).map(
        (m) => m.to,
      ),
    ).toEqual(['raiser@example.org', 'follower@example.org']);
  });
});
