/**
 * Emails against a real SMTP listener: the exact messages of a climb, once
 * each; nothing after acknowledgement; an SMTP outage delays but never
 * duplicates (and reminders overtaken meanwhile are dropped, not sent late);
 * a refused address lands on the timeline without blocking.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePolicy, type Policy } from '../../domain/policy/policy.ts';
import { barrierActionUpdate } from '../../workflows/barrier/definitions.ts';
import { startRoutedBarrier, testBarrierId } from '../support/barriers.ts';
import type { ReceivedEmail } from '../../notify/smtp-sink.ts';
import { localityLead, neighbourhood } from '../support/people.ts';
import { openTestStack, TEST_BASE_URL, type TestStack } from '../support/stack.ts';
import { until } from '../support/processes.ts';

const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.close();
});

/** 24x7, seconds: acknowledge targets per stage; resolve targets an hour. */
function emailPolicy(ack: { neighbourhood: number; locality: number; gmca: number }): Policy {
  const stage = (s: number) => ({ acknowledge: `PT${s}S`, resolve: 'PT1H' });
  return parsePolicy({
    id: 'test-emails',
    version: 1,
    name: 'emails test',
    calendar: '24x7',
    warnAt: [0.5, 0.8],
    reopenWindow: 'PT60S',
    stages: {
      neighbourhood: stage(ack.neighbourhood),
      locality: stage(ack.locality),
      gmca: stage(ack.gmca),
      whitehall: stage(3600),
    },
  });
}

async function raise(stack: TestStack, policy: Policy, raisedBy: string) {
  const id = testBarrierId('M');
  const { handle } = await startRoutedBarrier(stack.client, stack.taskQueue, {
    id,
    policy,
    raisedBy,
    details: { title: 'Shared care records <blocked> by a data-sharing agreement' },
  });
  return { id, handle };
}

const summary = (messages: ReceivedEmail[]) =>
  messages.map((m) => `${m.kind} → ${m.to.join(',')}`).sort();

const LEIGH_LEAD = neighbourhood('wigan', 'leigh').lead;
const WIGAN_LEAD = localityLead('wigan').sub;

describe('emails on a real SMTP listener', () => {
  it('sends exactly the messages of a climb, once each, and nothing after acknowledgement', async () => {
    const stack = await openTestStack('emails');
    stacks.push(stack);
    await stack.startWorker();
    const raiser = 'raiser.wigan@example.org';
    const { id, handle } = await raise(
      stack,
      emailPolicy({ neighbourhood: 4, locality: 4, gmca: 6 }),
      raiser,
    );

    // Neighbourhood and locality both miss their 4 s acknowledgement: at gmca the owner acts.
    await stack.mailbox.waitFor(
      (ms) => ms.filter((m) => m.kind === 'escalated').length === 4,
      30_000,
    );
    const atGmca = await handle.query('barrierState');
    const gmcaOwner = (atGmca as { owner: { email: string } }).owner.email;
    await handle.executeUpdate(barrierActionUpdate, {
      args: [
        { command: { type: 'acknowledge' }, actor: { email: gmcaOwner, role: 'gmca-triage' } },
      ],
    });
    // The gmca acknowledge clock would have warned at 3 s and 4.8 s and breached at 6 s.
    await sleep(7_000);

    const messages = stack.mailbox.messages();
    expect(summary(messages)).toEqual(
      [
        `assigned → ${LEIGH_LEAD}`,
        `warning → ${LEIGH_LEAD}`,
        `warning → ${LEIGH_LEAD}`,
        `breached → ${LEIGH_LEAD}`,
        `escalated → ${WIGAN_LEAD}`,
        `escalated → ${raiser}`,
        `warning → ${WIGAN_LEAD}`,
        `warning → ${WIGAN_LEAD}`,
        `breached → ${WIGAN_LEAD}`,
        `escalated → ${gmcaOwner}`,
        `escalated → ${raiser}`,
      ].sort(),
    );
    // Once each: every key and Message-ID is unique, and the log agrees.
    expect(new Set(messages.map((m) => m.key)).size).toBe(messages.length);
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(messages.length);
    const log = await stack.store.models.EmailLog.find({ barrierId: id }).lean();
    expect(log.filter((e) => e.status === 'sent')).toHaveLength(messages.length);
    // Sent from the worker's outbox, which keeps nothing once sent; the workflow
    // itself scheduled no activity for them.
    expect(await stack.store.models.EmailOutbox.countDocuments({ barrierId: id })).toBe(0);
    const { events } = await handle.fetchHistory();
    expect(events!.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);

    for (const m of messages) {
      expect(m.subject.startsWith(`[${id}] `)).toBe(true);
      expect(m.text).toContain('Leigh, Wigan');
      expect(m.text).toContain(`${TEST_BASE_URL}/barriers/${id}`);
      expect(m.text).toContain('What to do next:');
      expect(m.html).toContain(`href="${TEST_BASE_URL}/barriers/${id}"`);
      // What people typed is escaped in HTML, kept as typed in text.
      expect(m.html).toContain('&lt;blocked&gt;');
      expect(m.html).not.toContain('<blocked>');
      expect(m.text).toContain('<blocked>');
    }
    const warning = messages.find((m) => m.kind === 'warning' && m.to[0] === LEIGH_LEAD)!;
    expect(warning.subject).toMatch(/^\[GT-M\d+\] 2 seconds left to acknowledge: /);
    expect(warning.text).toMatch(
      /due by \d{1,2} [A-Z][a-z]+ \d{4} at (\d{1,2}(:\d\d)?[ap]m|midday|midnight)\./,
    );
  }, 60_000);

  it('delivers every message exactly once after the SMTP server refused for a while, and records a refused address on the timeline', async () => {
    let refusing = true;
    const stack = await openTestStack('emails-outage', {
      smtp: {
        refuse: () => refusing,
        rejectRecipient: (address) => address.endsWith('@bounce.example.org'),
      },
    });
    stacks.push(stack);
    await stack.startWorker();
    const raiser = 'nobody@bounce.example.org';
    const { id, handle } = await raise(
      stack,
      emailPolicy({ neighbourhood: 4, locality: 3600, gmca: 3600 }),
      raiser,
    );

    // The outage does not hold the barrier up: it climbs on time with nothing delivered.
    await until('escalation to locality', async () => {
      const doc = await stack.store.models.Barrier.findById(id).lean();
      return doc?.stage === 'locality';
    });
    await sleep(1_000);
    expect(stack.mailbox.messages()).toEqual([]);

    refusing = false;
    await stack.mailbox.waitFor((ms) => ms.length >= 3, 90_000);
    await until('the refusal on the timeline', async () =>
      Boolean(
        await stack.store.models.TimelineEvent.findOne({ barrierId: id, type: 'email-rejected' }),
      ),
    );
    // Retries that were already in flight have had time to land twice, if they were going to.
    await sleep(3_000);
    // Everything still relevant arrives once. The two warnings were overtaken by
    // the escalation while the server refused: they are recorded, not sent late.
    expect(summary(stack.mailbox.messages())).toEqual(
      [`assigned → ${LEIGH_LEAD}`, `breached → ${LEIGH_LEAD}`, `escalated → ${WIGAN_LEAD}`].sort(),
    );
    expect(await stack.store.models.EmailOutbox.countDocuments({ barrierId: id })).toBe(0);
    const log = await stack.store.models.EmailLog.find({ barrierId: id }).lean();
    expect(log.map((e) => `${e.kind}:${e.status}`).sort()).toEqual(
      [
        'assigned:sent',
        'breached:sent',
        'escalated:rejected',
        'escalated:sent',
        'warning:superseded',
        'warning:superseded',
      ].sort(),
    );
    const rejected = await stack.store.models.TimelineEvent.find({
      barrierId: id,
      type: 'email-rejected',
    }).lean();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.details).toMatchObject({ to: raiser, kind: 'escalated' });
    expect((rejected[0]!.details as { reason: string }).reason).toMatch(/550|No such mailbox/);
    // And the barrier still answers actions.
    const view = await handle.executeUpdate(barrierActionUpdate, {
      args: [
        {
          command: { type: 'comment', text: 'still here' },
          actor: { email: WIGAN_LEAD, role: 'locality-lead', locality: 'wigan' },
        },
      ],
    });
    expect(view.stage).toBe('locality');
  }, 120_000);
});
