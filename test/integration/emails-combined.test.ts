/**
 * One email for what happens together (issue #35), on a real SMTP listener:
 * twelve deadlines missed at once are one email to their owner, naming every
 * barrier and its deadline in words; one barrier alone is still the email it
 * always was, no later than the window; a barrier acknowledged inside the
 * window is left out of the combined email; a combined email refused for good
 * is recorded on each of its barriers' timelines; a daily-digest reader's
 * urgent emails are combined and the rest still wait for the digest; followers'
 * emails are combined by the same rule; a GMCA officer's emails about the
 * Whitehall asks they own are combined too, and a refusal of one reaches each
 * ask's timeline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { formatDateTime } from '../../domain/format/index.ts';
import type { ReceivedEmail } from '../../notify/smtp-sink.ts';
import { barrierActionUpdate } from '../../workflows/barrier/definitions.ts';
import { startRoutedBarrier, testBarrierId } from '../support/barriers.ts';
import { stackTest } from '../support/fixtures.ts';
import { admin, gmcaTriage, neighbourhood } from '../support/people.ts';
import { askWorkflow } from '../../workflows/ask/ask-workflow.ts';
import { askActionUpdate, askReadyUpdate, askWorkflowId } from '../../workflows/ask/definitions.ts';
import { parsePolicy } from '../../domain/policy/policy.ts';
import type { TestStack } from '../support/stack.ts';
import { ackSecondsPolicy } from '../support/policies.ts';
import { until } from '../support/processes.ts';
import { openTestStack } from '../support/stack.ts';

const WINDOW_MS = 8_000;
const test = stackTest('emails-combined', { stack: { emailWindowMs: WINDOW_MS } });
const RAISER = 'raiser.wigan@example.org';

const to = (who: string) => (m: ReceivedEmail) => m.to.includes(who);

describe('one email for what happens together', () => {
  test('twelve barriers that breach together give their owner one email naming all twelve', async ({
    stack,
  }) => {
    const lead = neighbourhood('wigan', 'leigh').lead;
    // Acknowledge within 30 s at the neighbourhood stage, no warnings: all twelve breach together.
    const policy = ackSecondsPolicy('combined-twelve', { neighbourhood: 30, locality: 3600 }, []);
    const ids = Array.from({ length: 12 }, () => testBarrierId('C'));
    await Promise.all(
      ids.map((id, i) =>
        startRoutedBarrier(stack.client, stack.taskQueue, {
          id,
          policy,
          raisedBy: RAISER,
          details: { title: `Joint post number ${i + 1} cannot be funded` },
        }),
      ),
    );
    const missed = (m: ReceivedEmail) => to(lead)(m) && m.text.includes('deadline missed');
    const [email] = await stack.mailbox.waitFor((ms) => ms.some(missed), 90_000);
    // Anything else held with it would have gone with it: wait a window to be sure no second comes.
    await sleep(WINDOW_MS + 2_000);
    const mine = stack.mailbox.messages().filter(missed);
    expect(mine).toHaveLength(1);
    const combined = mine[0]!;
    expect(combined.kind).toBe('combined');
    expect(combined.subject).toMatch(/^\[Golden Thread\] 12 deadlines missed; most urgent \[GT-C/);
    const breaches = await stack.store.models.TimelineEvent.find({
      barrierId: { $in: ids },
      type: 'breached',
    }).lean();
    expect(breaches).toHaveLength(12);
    for (const b of breaches) {
      expect(combined.text).toContain(`[${b.barrierId}] Acknowledge deadline missed`);
      // The deadline in words ("7 December 2026 at 4:35pm"), as the pages say it.
      expect(combined.text).toContain(`passed at ${formatDateTime(b.at)}`);
    }
    void email;
    // The assignments went together too: the lead had two emails in all, not twenty-four.
    const all = stack.mailbox.messages().filter(to(lead));
    expect(all.map((m) => m.kind)).toEqual(['combined', 'combined']);
    expect(all[0]!.subject).toContain('12 barriers assigned to you');
    // The raiser heard of the twelve escalations in one email.
    const raiserMail = stack.mailbox.messages().filter(to(RAISER));
    expect(raiserMail).toHaveLength(1);
    expect(raiserMail[0]!.subject).toContain('12 barriers escalated');
    for (const id of ids) expect(raiserMail[0]!.text).toContain(`[${id}]`);
  }, 180_000);

  test('one barrier alone still gives one email naming it, within the window', async ({
    stack,
  }) => {
    const lead = neighbourhood('wigan', 'wigan-central').lead;
    const id = testBarrierId('S');
    const started = Date.now();
    await startRoutedBarrier(stack.client, stack.taskQueue, {
      id,
      policy: ackSecondsPolicy('combined-one', { neighbourhood: 3600, locality: 3600 }, []),
      raisedBy: RAISER,
      details: { neighbourhood: 'wigan-central', title: 'A lone barrier' },
    });
    const [email] = await stack.mailbox
      .waitFor((ms) => ms.some(to(lead)), 30_000)
      .then((ms) => ms.filter(to(lead)));
    // Exactly the email it always was: its own kind, key and subject.
    expect(email!.kind).toBe('assigned');
    expect(email!.subject).toBe(`[${id}] Assigned to you: A lone barrier`);
    expect(email!.key).toBe(`${id}:2:assigned:${lead.toLowerCase()}`);
    // Held no longer than the window (and the sweep that backs it up).
    expect(email!.receivedAt.getTime() - started).toBeLessThan(WINDOW_MS + 6_000);
    await sleep(3_000);
    expect(stack.mailbox.messages().filter(to(lead))).toHaveLength(1);
  }, 60_000);

  test('a barrier acknowledged inside the window is left out of the combined email', async ({
    stack,
  }) => {
    const slug = 'wigan-north';
    const lead = neighbourhood('wigan', slug).lead;
    const policy = ackSecondsPolicy('combined-ack', { neighbourhood: 3600, locality: 3600 }, []);
    const ids = [testBarrierId('A'), testBarrierId('A'), testBarrierId('A')];
    const started = await Promise.all(
      ids.map((id, i) =>
        startRoutedBarrier(stack.client, stack.taskQueue, {
          id,
          policy,
          raisedBy: RAISER,
          details: { neighbourhood: slug, title: `Waiting list ${i + 1} not shared` },
        }),
      ),
    );
    // The lead acknowledges the first at once, well inside the window.
    await started[0]!.handle.executeUpdate(barrierActionUpdate, {
      args: [
        {
          command: { type: 'acknowledge' },
          actor: { email: lead, role: 'neighbourhood-lead' },
        },
      ],
    });
    const [email] = await stack.mailbox
      .waitFor((ms) => ms.some(to(lead)), 30_000)
      .then((ms) => ms.filter(to(lead)));
    await sleep(3_000);
    expect(stack.mailbox.messages().filter(to(lead))).toHaveLength(1);
    expect(email!.kind).toBe('combined');
    expect(email!.subject).toContain('2 barriers assigned to you');
    expect(email!.text).not.toContain(`[${ids[0]}]`);
    expect(email!.text).toContain(`[${ids[1]}]`);
    expect(email!.text).toContain(`[${ids[2]}]`);
    // The log says why it did not go.
    const left = await stack.store.models.EmailLog.findById(
      `${ids[0]}:2:assigned:${lead.toLowerCase()}`,
    ).lean();
    expect(left).toMatchObject({ status: 'superseded', batchKey: email!.key });
  }, 60_000);

  test('a combined email refused for good lands on the timeline of every barrier in it', async () => {
    const lead = neighbourhood('wigan', 'leigh').lead;
    const stack = await openTestStack('emails-combined-refused', {
      emailWindowMs: 3_000,
      smtp: { rejectRecipient: (address) => address === lead },
    });
    try {
      await stack.startWorker();
      const policy = ackSecondsPolicy(
        'combined-refused',
        { neighbourhood: 3600, locality: 3600 },
        [],
      );
      const ids = [testBarrierId('R'), testBarrierId('R')];
      await Promise.all(
        ids.map((id) =>
          startRoutedBarrier(stack.client, stack.taskQueue, { id, policy, raisedBy: RAISER }),
        ),
      );
      await until(
        'both refusals on the timelines',
        async () => {
          const n = await stack.store.models.TimelineEvent.countDocuments({
            barrierId: { $in: ids },
            type: 'email-rejected',
          });
          return n === 2;
        },
        40_000,
      );
      const refused = await stack.store.models.TimelineEvent.find({
        barrierId: { $in: ids },
        type: 'email-rejected',
      }).lean();
      for (const r of refused) expect(r.details).toMatchObject({ to: lead, kind: 'assigned' });
      expect(stack.mailbox.messages()).toEqual([]);
      expect(await stack.store.models.EmailPending.countDocuments()).toBe(0);
    } finally {
      await stack.close();
    }
  }, 60_000);

  test("a digest reader's urgent emails come combined and the rest wait for the digest; followers' are combined too", async () => {
    const lead = neighbourhood('wigan', 'leigh').lead;
    const follower = neighbourhood('wigan', 'wigan-central').lead;
    const stack = await openTestStack('emails-combined-prefs', { emailWindowMs: 4_000 });
    try {
      await stack.store.models.Person.updateOne({ _id: lead }, { delivery: 'daily-digest' });
      await stack.startWorker();
      const policy = ackSecondsPolicy('combined-prefs', { neighbourhood: 12, locality: 3600 }, []);
      const ids = [testBarrierId('P'), testBarrierId('P')];
      await Promise.all(
        ids.map(async (id) => {
          // Followed before it is raised: the follower hears its escalation.
          await stack.store.models.Follow.create({
            _id: `${id}:${follower}`,
            barrierId: id,
            email: follower,
            at: new Date(),
          });
          await startRoutedBarrier(stack.client, stack.taskQueue, { id, policy, raisedBy: RAISER });
        }),
      );
      await stack.mailbox.waitFor((ms) => ms.some(to(lead)) && ms.some(to(follower)), 60_000);
      await sleep(6_000);
      // The assignments waited for the digest; the breaches came at once, together.
      for (const id of ids) {
        const assigned = await stack.store.models.EmailLog.findById(
          `${id}:2:assigned:${lead.toLowerCase()}`,
        ).lean();
        expect(assigned?.status).toBe('deferred');
      }
      const leadMail = stack.mailbox.messages().filter(to(lead));
      expect(leadMail).toHaveLength(1);
      expect(leadMail[0]!.subject).toContain('2 deadlines missed');
      const followerMail = stack.mailbox.messages().filter(to(follower));
      expect(followerMail).toHaveLength(1);
      expect(followerMail[0]!.subject).toContain('2 barriers escalated');
      expect(followerMail[0]!.text).toContain('you follow this barrier');
      for (const id of ids) {
        expect(leadMail[0]!.text).toContain(`[${id}]`);
        expect(followerMail[0]!.text).toContain(`[${id}]`);
      }
    } finally {
      await stack.close();
    }
  }, 90_000);

  /** Starts a draft ask owned by `owner` and submits it as an admin (so its owner is told). */
  async function submitAsk(stack: TestStack, id: string, owner: string) {
    const handle = await stack.client.workflow.start(askWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: askWorkflowId(id),
      args: [
        {
          version: 1,
          id,
          reference: id,
          title: `Let neighbourhood teams pool budgets (${id})`,
          department: 'dhsc',
          ask: 'Allow a neighbourhood team to pool health and care budgets.',
          createdBy: admin().sub,
          owner: { email: owner, name: 'GMCA triage officer' },
          barrierIds: [testBarrierId('A')],
          policy: askPolicy,
        },
      ],
    });
    await handle.executeUpdate(askReadyUpdate);
    await handle.executeUpdate(askActionUpdate, {
      args: [{ command: { type: 'submit' }, actor: { email: admin().sub, role: 'admin' } }],
    });
  }
  const askPolicy = parsePolicy({
    id: 'combined-asks',
    version: 1,
    name: 'asks answered within a day',
    calendar: '24x7',
    reopenWindow: 'PT60S',
    stages: {
      neighbourhood: { acknowledge: 'PT1H', resolve: 'PT2H' },
      locality: { acknowledge: 'PT1H', resolve: 'PT2H' },
      gmca: { acknowledge: 'PT1H', resolve: 'PT2H' },
      whitehall: { acknowledge: 'PT1H', resolve: 'P1D' },
    },
    asks: { chaseEvery: 'P1D', maxChasers: 1 },
  });

  test("a GMCA officer's emails about the asks they own come as one email", async ({ stack }) => {
    const owner = gmcaTriage().sub;
    const asks = [`ASK-C${Date.now()}1`, `ASK-C${Date.now()}2`];
    for (const id of asks) await submitAsk(stack, id, owner);
    const submitted = (m: ReceivedEmail) => to(owner)(m) && m.subject.includes('ASK-C');
    await stack.mailbox.waitFor((ms) => ms.some(submitted), 40_000);
    await sleep(WINDOW_MS + 2_000);
    const mine = stack.mailbox.messages().filter(submitted);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.kind).toBe('combined');
    expect(mine[0]!.subject).toMatch(
      /^\[Golden Thread\] 2 Whitehall asks submitted; most urgent \[ASK-C/,
    );
    for (const id of asks) {
      expect(mine[0]!.text).toContain(`[${id}] Submitted to Department of Health and Social Care`);
      expect(mine[0]!.text).toContain(`/asks/${id}`);
    }
    expect(await stack.store.models.EmailPending.countDocuments({ to: owner })).toBe(0);
  }, 60_000);

  test("a combined ask email refused for good lands on each ask's timeline", async () => {
    const owner = gmcaTriage().sub;
    const stack = await openTestStack('emails-combined-asks-refused', {
      emailWindowMs: 3_000,
      smtp: { rejectRecipient: (address) => address === owner },
    });
    try {
      await stack.startWorker();
      const asks = [`ASK-R${Date.now()}1`, `ASK-R${Date.now()}2`];
      for (const id of asks) await submitAsk(stack, id, owner);
      await until(
        'both refusals on the asks’ timelines',
        async () =>
          (await stack.store.models.TimelineEvent.countDocuments({
            barrierId: { $in: asks },
            type: 'email-rejected',
          })) === 2,
        40_000,
      );
      const refused = await stack.store.models.TimelineEvent.find({
        barrierId: { $in: asks },
        type: 'email-rejected',
      }).lean();
      for (const r of refused)
        expect(r.details).toMatchObject({ to: owner, kind: 'ask-submitted' });
      expect(stack.mailbox.messages()).toEqual([]);
    } finally {
      await stack.close();
    }
  }, 60_000);
});
