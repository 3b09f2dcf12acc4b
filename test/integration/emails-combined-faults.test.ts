/**
 * Combined emails through faults (issue #35): a worker SIGKILLed while a
 * person's emails are held, or while their combined email is on the wire,
 * still delivers it exactly once through the next worker; a worker stopped
 * across several deadlines gives each person one catch-up email that says when
 * Golden Thread was unavailable and names every item.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { formatTimeRange } from '../../domain/format/index.ts';
import type { ReceivedEmail } from '../../notify/smtp-sink.ts';
import { startRoutedBarrier, testBarrierId } from '../support/barriers.ts';
import { neighbourhood } from '../support/people.ts';
import { ackSecondsPolicy } from '../support/policies.ts';
import { runScript, until } from '../support/processes.ts';
import { openTestStack, TEST_BASE_URL, type TestStack } from '../support/stack.ts';

const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.close();
});

const RAISER = 'raiser.wigan@example.org';
const WINDOW_S = 6;
const to = (who: string) => (m: ReceivedEmail) => m.to.includes(who);

/** A worker process with a window, on the stack's queue, database and mailbox. */
async function workerProcess(stack: TestStack) {
  const worker = runScript('worker/main.ts', {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    MONGODB_URI: stack.mongodbUri,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    SMTP_URL: stack.mailbox.url,
    PUBLIC_BASE_URL: TEST_BASE_URL,
    EMAIL_WINDOW_SECONDS: String(WINDOW_S),
  });
  await until('the worker process to poll', () => worker.output().includes('polling task queue'));
  return worker;
}

/** Starts `n` barriers in one Wigan neighbourhood whose acknowledgements fall due in `ackS`. */
async function raise(stack: TestStack, slug: string, n: number, ackS = 3600) {
  const policy = ackSecondsPolicy(
    `combined-faults-${ackS}`,
    {
      neighbourhood: ackS,
      locality: 3600,
    },
    [],
  );
  const ids = Array.from({ length: n }, () => testBarrierId('F'));
  await Promise.all(
    ids.map((id, i) =>
      startRoutedBarrier(stack.client, stack.taskQueue, {
        id,
        policy,
        raisedBy: RAISER,
        details: { neighbourhood: slug, title: `Pooled budget ${i + 1} blocked` },
      }),
    ),
  );
  return ids;
}

describe('combined emails through faults', () => {
  it('a worker killed while emails are held: the next worker sends the combined email once', async () => {
    const stack = await openTestStack('combined-kill', { emailWindowMs: WINDOW_S * 1000 });
    stacks.push(stack);
    const worker = await workerProcess(stack);
    const lead = neighbourhood('wigan', 'leigh').lead;
    const ids = await raise(stack, 'leigh', 3);
    // All three held, none sent: kill the worker holding them.
    await until('three emails held', async () => {
      return (await stack.store.models.EmailPending.countDocuments({ to: lead })) === 3;
    });
    expect(stack.mailbox.messages()).toEqual([]);
    worker.child.kill('SIGKILL');
    await worker.exited;

    await stack.startWorker();
    await stack.mailbox.waitFor((ms) => ms.some(to(lead)), 60_000);
    await sleep(WINDOW_S * 1000 + 4_000);
    const mail = stack.mailbox.messages().filter(to(lead));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.kind).toBe('combined');
    expect(mail[0]!.subject).toContain('3 barriers assigned to you');
    for (const id of ids) expect(mail[0]!.text).toContain(`[${id}]`);
    expect(await stack.store.models.EmailPending.countDocuments()).toBe(0);
    await until('the outbox to empty', async () => {
      return (await stack.store.models.EmailOutbox.countDocuments()) === 0;
    });
  }, 120_000);

  it('a worker killed while the combined email is on the wire: it arrives once', async () => {
    let signalHeld!: () => void;
    const held = new Promise<void>((resolve) => (signalHeld = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const stack = await openTestStack('combined-wire', {
      emailWindowMs: WINDOW_S * 1000,
      smtp: {
        // Hold the first send before its recipient is answered: the worker dies mid-send.
        beforeRecipient: async () => {
          if (!first) return;
          first = false;
          signalHeld();
          await released;
        },
      },
    });
    stacks.push(stack);
    const worker = await workerProcess(stack);
    const lead = neighbourhood('wigan', 'leigh').lead;
    const ids = await raise(stack, 'leigh', 3);
    await held;
    const claimed = await stack.store.models.EmailLog.find({ status: 'sending' }).lean();
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({ kind: 'combined', to: lead });
    worker.child.kill('SIGKILL');
    await worker.exited;
    release();
    expect(stack.mailbox.messages()).toEqual([]);

    await stack.startWorker();
    const [message] = await stack.mailbox.waitFor((ms) => ms.length >= 1, 90_000);
    await sleep(4_000);
    expect(stack.mailbox.messages()).toHaveLength(1);
    expect(message!.key).toBe(claimed[0]!._id);
    for (const id of ids) expect(message!.text).toContain(`[${id}]`);
    expect(await stack.store.models.EmailLog.findById(claimed[0]!._id).lean()).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
  }, 150_000);

  it('a worker stopped across several deadlines: each person gets one catch-up email with every item', async () => {
    const stack = await openTestStack('combined-restart', { emailWindowMs: WINDOW_S * 1000 });
    stacks.push(stack);
    const first = await stack.startWorker();
    const leigh = neighbourhood('wigan', 'leigh').lead;
    const central = neighbourhood('wigan', 'wigan-central').lead;
    const ackS = 20;
    const [leighIds, centralIds] = await Promise.all([
      raise(stack, 'leigh', 2, ackS),
      raise(stack, 'wigan-central', 2, ackS),
    ]);
    const all = [...leighIds, ...centralIds];
    // The assignments go (one email to each lead), then the worker stops before any deadline.
    await stack.mailbox.waitFor((ms) => ms.some(to(leigh)) && ms.some(to(central)), 30_000);
    first.shutdown();
    await until('the worker to stop', () => first.getState() === 'STOPPED', 30_000);
    const stoppedAt = Date.now();
    stack.mailbox.clear();
    // Every deadline passes while no worker runs, and the silence is long enough to be an outage.
    await sleep(45_000);
    expect(stack.mailbox.messages()).toEqual([]);

    await stack.startWorker();
    await stack.mailbox.waitFor(
      (ms) => ms.some(to(leigh)) && ms.some(to(central)) && ms.some(to(RAISER)),
      60_000,
    );
    await sleep(WINDOW_S * 1000 + 6_000);
    const mail = stack.mailbox.messages();
    const outage = await stack.store.models.WorkerPresence.findOne({ _id: /^outage:/ }).lean();
    expect(outage!.from!.getTime()).toBeGreaterThan(stoppedAt - 10_000);
    expect(outage!.from!.getTime()).toBeLessThanOrEqual(stoppedAt);
    const said = `While Golden Thread was unavailable ${formatTimeRange(outage!.from, outage!.to)}`;

    const byPerson = new Map<string, ReceivedEmail[]>();
    for (const m of mail) for (const r of m.to) byPerson.set(r, [...(byPerson.get(r) ?? []), m]);
    for (const [person, theirs] of byPerson) {
      expect(theirs, person).toHaveLength(1);
      expect(theirs[0]!.text, person).toContain(said);
    }
    const text = (who: string) => byPerson.get(who)![0]!.text;
    for (const id of leighIds) expect(text(leigh)).toContain(`[${id}] Acknowledge deadline missed`);
    for (const id of centralIds)
      expect(text(central)).toContain(`[${id}] Acknowledge deadline missed`);
    for (const id of all) expect(text(RAISER)).toContain(`[${id}]`);
    // The new owners at the locality stage, whoever they are, heard of all four, in catch-up emails.
    const others = [...byPerson.keys()].filter((p) => ![leigh, central, RAISER].includes(p));
    expect(others.length).toBeGreaterThan(0);
    for (const id of all) {
      expect(
        others.some((p) => text(p).includes(`[${id}] Escalated to you`)),
        id,
      ).toBe(true);
    }
  }, 180_000);
});
