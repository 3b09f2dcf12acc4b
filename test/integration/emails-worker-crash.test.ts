/**
 * A worker process killed (SIGKILL) in the middle of a send: the relay never
 * answered it, so the next worker sends the message, and it arrives once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parsePolicy } from '../../domain/policy/policy.ts';
import { startRoutedBarrier, testBarrierId } from '../support/barriers.ts';
import { neighbourhood } from '../support/people.ts';
import { runScript, until } from '../support/processes.ts';
import { openTestStack, TEST_BASE_URL, type TestStack } from '../support/stack.ts';

let stack: TestStack | undefined;
afterAll(async () => stack?.close());

describe('a worker killed around a send', () => {
  it('delivers the message exactly once through the next worker', async () => {
    let signalHeld!: () => void;
    const held = new Promise<void>((resolve) => (signalHeld = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    stack = await openTestStack('emails-crash', {
      smtp: {
        // Hold the first send mid-conversation (before its recipient is answered),
        // as a slow relay would: the worker dies with the send under way.
        beforeRecipient: async () => {
          if (!first) return;
          first = false;
          signalHeld();
          await released;
        },
      },
    });
    const worker = runScript('worker/main.ts', {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      MONGODB_URI: stack.mongodbUri,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      SMTP_URL: stack.mailbox.url,
      PUBLIC_BASE_URL: TEST_BASE_URL,
    });
    await until('the worker process to poll', () => worker.output().includes('polling task queue'));

    const id = testBarrierId('K');
    await startRoutedBarrier(stack.client, stack.taskQueue, {
      id,
      raisedBy: 'raiser.wigan@example.org',
      policy: parsePolicy({
        id: 'test-crash',
        version: 1,
        name: 'long clocks',
        reopenWindow: 'PT60S',
        calendar: '24x7',
        stages: {
          neighbourhood: { acknowledge: 'PT1H', resolve: 'PT2H' },
          locality: { acknowledge: 'PT1H', resolve: 'PT2H' },
          gmca: { acknowledge: 'PT1H', resolve: 'PT2H' },
          whitehall: { acknowledge: 'PT1H', resolve: 'PT2H' },
        },
      }),
      details: { title: 'Ring-fenced budget cannot fund a joint post', category: 'funding' },
    });

    // The `assigned` email is on the wire, unanswered: kill the worker sending it.
    // The log holds its claim (`sending`), so nothing else may send it until that attempt is dead.
    await held;
    expect(await stack.store.models.EmailLog.findOne({ barrierId: id }).lean()).toMatchObject({
      status: 'sending',
    });
    worker.child.kill('SIGKILL');
    await worker.exited;
    release();
    expect(stack.mailbox.messages()).toEqual([]);

    await stack.startWorker();
    const [message] = await stack.mailbox.waitFor((ms) => ms.length >= 1, 60_000);
    await sleep(3_000);
    expect(stack.mailbox.messages()).toHaveLength(1);
    expect(message!.kind).toBe('assigned');
    expect(message!.to).toEqual([neighbourhood('wigan', 'leigh').lead]);
    const log = await stack.store.models.EmailLog.find({ barrierId: id }).lean();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: 'sent', attempts: 2 });
  }, 120_000);
});
