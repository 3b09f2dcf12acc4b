/**
 * The barrier email outbox (worker/email-outbox.ts) on a real database and
 * SMTP listener: a projection retried queues its emails once, an entry a dead
 * worker left is taken by another's sweep, and nothing sent stays behind;
 * with a window, a batch queued again after its combined email went is not
 * held or sent again.
 */
import { describe, expect } from 'vitest';
import { createEmailOutbox, type EmailOutbox } from '../../worker/email-outbox.ts';
import { createBarrierMailer, type EmailRejection } from '../../activities/notifications.ts';
import { createBatchSender } from '../../activities/email-batches.ts';
import { createEmailLedger } from '../../activities/email-ledger.ts';
import {
  createProjectionActivities,
  type ProjectBarrierInput,
} from '../../activities/projection.ts';
import { BarrierMachine } from '../../domain/barrier/barrier-machine.ts';
import { testDetails } from '../../domain/barrier/test-machine.ts';
import { createSmtpTransport } from '../../notify/smtp-transport.ts';
import { toView } from '../../workflows/barrier/barrier-workflow.ts';
import { testBarrierId } from '../support/barriers.ts';
import { stackTest } from '../support/fixtures.ts';
import { neighbourhood } from '../support/people.ts';
import { fastPolicy } from '../support/policies.ts';
import { until } from '../support/processes.ts';
import { TEST_BASE_URL, type TestStack } from '../support/stack.ts';

const it = stackTest('email-outbox', {
  worker: false,
  stack: { smtp: { rejectRecipient: (address) => address.endsWith('@bounce.example.org') } },
});
let stack: TestStack;
const outboxes: EmailOutbox[] = [];
const reported: EmailRejection[][] = [];
let transport: ReturnType<typeof createSmtpTransport>;

it.beforeAll(({ stack: s }) => {
  stack = s;
  transport = createSmtpTransport({ url: stack.mailbox.url, from: 'gt@example.org' });
});
it.afterAll(async () => {
  for (const o of outboxes) await o.stop();
  await transport.close();
});

/** A worker's outbox over the file's database and SMTP listener, with short timings. */
function outbox(
  report: (rejected: EmailRejection[]) => Promise<void> = () => Promise.resolve(),
  emailWindowMs = 0,
) {
  const o = createEmailOutbox({
    models: stack.store.models,
    send: createBarrierMailer({
      models: stack.store.models,
      transport,
      publicBaseUrl: TEST_BASE_URL,
      emailWindowMs,
    }),
    sendBatch: createBatchSender({
      models: stack.store.models,
      ledger: createEmailLedger({ log: stack.store.models.EmailLog, transport }),
      publicBaseUrl: TEST_BASE_URL,
    }),
    report: async (_workflowId, rejected) => {
      await report(rejected);
      reported.push(rejected);
    },
    warn: () => undefined,
    leaseMs: 1_000,
    sweepEveryMs: 200,
  });
  outboxes.push(o);
  return o;
}

/** The projection activity, queueing into `o`. */
function projector(o: EmailOutbox) {
  const activities = createProjectionActivities(stack.store.models, o.queue);
  return (input: ProjectBarrierInput) => activities.projectBarrier(input);
}

/** A raised and routed barrier's first batch of events, as its workflow projects it. */
function raisedBatch(lead = neighbourhood('wigan', 'leigh').lead) {
  const id = testBarrierId('O');
  const now = Date.now();
  const m = BarrierMachine.raise({
    id,
    reference: id,
    raisedBy: 'raiser.wigan@example.org',
    policy: fastPolicy(3600),
    now,
    details: testDetails(),
  });
  m.assign({ email: lead, name: 'Leigh lead', reason: 'neighbourhood-lead' }, now);
  return {
    id,
    lead,
    input: { workflowId: `barrier-${id}`, view: toView(m), events: m.takeEvents() },
  };
}

const assignedTo = (id: string) =>
  stack.mailbox.messages().filter((m) => m.kind === 'assigned' && m.subject.includes(id));

describe('the email outbox', () => {
  it('sends a batch queued twice by a retried projection once, and keeps nothing after', async () => {
    const o = outbox();
    o.start();
    const project = projector(o);
    const { id, lead, input } = raisedBatch();
    await project({ ...input, outbox: true });
    await project({ ...input, outbox: true });

    await until('the assigned email', () => assignedTo(id).length > 0);
    await until('the outbox emptied', async () => {
      return (await stack.store.models.EmailOutbox.countDocuments({ barrierId: id })) === 0;
    });
    expect(assignedTo(id).map((m) => m.to)).toEqual([[lead]]);
    expect(reported).toEqual([]);
  });

  it("takes an entry a dead worker left once its lease lapses, and sends it through another worker's outbox", async () => {
    // Queued by a worker that died before sending: never started, so it only wrote the entry.
    const dead = outbox();
    const { id, lead, input } = raisedBatch();
    await projector(dead)({ ...input, outbox: true });
    const left = await stack.store.models.EmailOutbox.findOne({ barrierId: id }).lean();
    expect(left).toMatchObject({ attempts: 1, workflowId: input.workflowId });

    const alive = outbox();
    alive.start();
    await until('the assigned email', () => assignedTo(id).length > 0, 10_000);
    await until('the outbox emptied', async () => {
      return (await stack.store.models.EmailOutbox.countDocuments({ barrierId: id })) === 0;
    });
    expect(assignedTo(id).map((m) => m.to)).toEqual([[lead]]);
    const log = await stack.store.models.EmailLog.find({ barrierId: id }).lean();
    expect(log).toMatchObject([{ kind: 'assigned', status: 'sent', attempts: 1 }]);
  });

  it('reports a refusal to the workflow once, even when the first report fails, without sending again', async () => {
    let failures = 1;
    const o = outbox(() =>
      failures-- > 0 ? Promise.reject(new Error('Temporal unavailable')) : Promise.resolve(),
    );
    o.start();
    const before = reported.length;
    const { id, input } = raisedBatch('nobody@bounce.example.org');
    await projector(o)({ ...input, outbox: true });
    await until(
      'the outbox emptied',
      async () => {
        return (await stack.store.models.EmailOutbox.countDocuments({ barrierId: id })) === 0;
      },
      10_000,
    );
    expect(reported.slice(before)).toEqual([
      [{ to: 'nobody@bounce.example.org', kind: 'assigned', reason: expect.stringMatching(/550/) }],
    ]);
    const log = await stack.store.models.EmailLog.find({ barrierId: id }).lean();
    expect(log).toMatchObject([{ status: 'rejected', attempts: 1 }]);
  });

  it('queues nothing for events that call for no email', async () => {
    const o = outbox();
    const project = projector(o);
    const id = testBarrierId('O');
    const m = BarrierMachine.raise({
      id,
      reference: id,
      raisedBy: 'raiser.wigan@example.org',
      policy: fastPolicy(3600),
      now: Date.now(),
      details: testDetails(),
    });
    // Raised and not yet routed: nobody to tell.
    await project({
      workflowId: `barrier-${id}`,
      view: toView(m),
      events: m.takeEvents(),
      outbox: true,
    });
    expect(await stack.store.models.EmailOutbox.countDocuments({ barrierId: id })).toBe(0);
    expect(await stack.store.models.Barrier.countDocuments({ _id: id })).toBe(1);
  });

  it('with a window, a batch queued again after its combined email went is neither held nor sent again', async () => {
    const o = outbox(undefined, 500);
    o.start();
    const lead = neighbourhood('wigan', 'wigan-west').lead;
    const a = raisedBatch(lead);
    const b = raisedBatch(lead);
    await o.queue(a.input.workflowId, a.input);
    await o.queue(b.input.workflowId, b.input);
    const mine = () => stack.mailbox.messages().filter((m) => m.to.includes(lead));
    await until('the combined email', () => mine().length > 0, 10_000);
    await until('nothing held', async () => {
      return (await stack.store.models.EmailPending.countDocuments({ to: lead })) === 0;
    });
    expect(mine()).toHaveLength(1);
    expect(mine()[0]!.kind).toBe('combined');
    // A retried projection queues the first batch again, after everything went.
    await until('the outbox emptied', async () => {
      return (await stack.store.models.EmailOutbox.countDocuments({ barrierId: a.id })) === 0;
    });
    await o.queue(a.input.workflowId, a.input);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(mine()).toHaveLength(1);
    expect(await stack.store.models.EmailPending.countDocuments({ to: lead })).toBe(0);
    const logged = await stack.store.models.EmailLog.find({
      barrierId: { $in: [a.id, b.id] },
    }).lean();
    expect(logged.map((l) => [l.status, l.batchKey])).toEqual([
      ['batched', mine()[0]!.key],
      ['batched', mine()[0]!.key],
    ]);
  });
});
