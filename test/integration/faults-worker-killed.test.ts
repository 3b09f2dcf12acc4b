/**
 * Faults with real processes: the worker process is SIGKILLed in the middle of
 * a climb with many barriers in flight. A new worker takes over; every barrier
 * reaches the same final state and timeline as an undisturbed climb, and no
 * email arrives twice.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { expectEachEmailOnce } from '../support/emails.ts';
import { localityLead } from '../support/people.ts';
import { ackSecondsPolicy } from '../support/policies.ts';
import { startRoutedBarrier, testBarrierId } from '../support/barriers.ts';
import { runScript, until } from '../support/processes.ts';
import { openTestStack, TEST_BASE_URL, type TestStack } from '../support/stack.ts';
import { barrierWorkflowId } from '../../workflows/barrier/definitions.ts';

let stack: TestStack | undefined;
afterAll(async () => stack?.close());

const policy = ackSecondsPolicy('test-faults', { neighbourhood: 4, locality: 4 });

/** What an undisturbed climb to gmca records, in order. */
const UNDISTURBED = [
  'raised',
  'routed',
  'warning',
  'warning',
  'breached',
  'escalated',
  'routed',
  'warning',
  'warning',
  'breached',
  'escalated',
  'routed',
];

describe('the worker killed mid-climb', () => {
  it('loses nothing and sends nothing twice when a new worker takes over', async () => {
    stack = await openTestStack('faults-kill');
    const s = stack;
    const worker = runScript('worker/main.ts', {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      MONGODB_URI: s.mongodbUri,
      TEMPORAL_TASK_QUEUE: s.taskQueue,
      SMTP_URL: s.mailbox.url,
      PUBLIC_BASE_URL: TEST_BASE_URL,
    });
    await until('the worker process', () => worker.output().includes('polling task queue'));

    const ids = Array.from({ length: 20 }, () => testBarrierId('F'));
    await Promise.all(
      ids.map((id) =>
        startRoutedBarrier(s.client, s.taskQueue, {
          id,
          policy,
          raisedBy: localityLead('wigan').sub,
        }),
      ),
    );
    // Mid-climb: warnings are firing and emails are going out.
    await sleep(2_500);
    worker.child.kill('SIGKILL');
    const killedAt = Date.now();
    await worker.exited;
    const beforeTakeover = await s.store.models.Barrier.countDocuments({
      _id: { $in: ids },
      stage: 'gmca',
    });
    expect(beforeTakeover).toBe(0);

    await s.startWorker();
    await until(
      'every barrier at gmca',
      async () =>
        (await s.store.models.Barrier.countDocuments({ _id: { $in: ids }, stage: 'gmca' })) ===
        ids.length,
      90_000,
    );
    for (const id of ids) {
      const handle = s.client.workflow.getHandle(barrierWorkflowId(id));
      const state = await handle.query('barrierState');
      expect(state).toMatchObject({ stage: 'gmca', status: 'open' });
      const timeline = await s.store.models.TimelineEvent.find({ barrierId: id })
        .sort({ seq: 1 })
        .lean();
      expect(timeline.map((e) => e.type)).toEqual(UNDISTURBED);
      // The read model agrees with the workflow.
      const doc = await s.store.models.Barrier.findById(id).lean();
      expect(doc?.lastSeq).toBe((state as { seq: number }).seq);
    }
    // Every email that was due arrived (once, but for the send cut off by the kill), and
    // each climb's escalation to GMCA.
    // First let the sends the dead worker had claimed finish on the new one.
    await until(
      'no email left mid-send',
      async () =>
        (await s.store.models.EmailLog.countDocuments({
          barrierId: { $in: ids },
          status: 'sending',
        })) === 0,
      60_000,
    );
    await sleep(1_000);
    const mail = s.mailbox.messages().filter((m) => ids.some((id) => m.key.startsWith(`${id}:`)));
    const keys = expectEachEmailOnce(mail, killedAt);
    // The log agrees: everything it calls sent arrived, and everything that arrived is
    // logged sent, or superseded when the dead worker's send was overtaken before its
    // successor could log it (the warning had arrived; the barrier had moved on).
    const log = await s.store.models.EmailLog.find({ barrierId: { $in: ids } }).lean();
    const status = new Map(log.map((e) => [e._id, e.status]));
    for (const e of log) if (e.status === 'sent') expect(keys).toContain(e._id);
    for (const key of keys) {
      if (status.get(key) === 'sent') continue;
      expect(status.get(key), key).toBe('superseded');
      const first = mail.find((m) => m.key === key)!;
      expect(first.receivedAt.getTime(), key).toBeLessThanOrEqual(killedAt + 500);
    }
    for (const id of ids)
      expect(
        mail.filter((m) => m.key.startsWith(`${id}:`) && m.kind === 'escalated').length,
      ).toBeGreaterThanOrEqual(2);
  }, 150_000);
});
