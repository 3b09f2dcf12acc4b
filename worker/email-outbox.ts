/**
 * The barrier email outbox: the worker loop that sends barrier emails.
 *
 * The projection, a local activity in the workflow's own task, writes the
 * batch of events that calls for emails to `email_outbox` beside the read
 * model, and the worker that wrote it sends it at once, beside the workflow
 * rather than inside it: a raise then costs Temporal no activity task and no
 * second workflow task for its result (bench/README.md).
 *
 * - **Nothing lost.** The entry is written before the workflow task completes.
 *   While a worker sends it, it holds a short lease and renews it; a worker
 *   that dies lets the lease lapse, and any worker's sweep takes the entry.
 *   A failed send is tried again with backoff, up to once a minute, for as
 *   long as it takes (an SMTP outage).
 * - **Nothing twice.** Each message still goes through the email ledger
 *   (activities/email-ledger.ts), claimed under the entry's key: a take after a crash
 *   resends only what the relay never accepted.
 * - **Refusals on the timeline.** Messages refused for good are signalled to
 *   the barrier's workflow, which records them.
 */
import { AsyncResource } from 'node:async_hooks';
import type { Client } from '@temporalio/client';
import type { Models } from '../store/models.ts';
import { isDuplicateKey } from '../store/store.ts';
import { emailsRejectedSignal } from '../workflows/barrier/definitions.ts';
import { workflowHasEnded } from '../workflows/lifecycle.ts';
import type {
  BarrierMailer,
  EmailRejection,
  NotifyBarrierInput,
} from '../activities/notifications.ts';

/** How long a take holds an entry; renewed every third of it while the send runs. */
export const OUTBOX_LEASE_MS = 15_000;
/** How often a worker looks for entries nobody holds (a dead worker's, a failed send's). */
export const OUTBOX_SWEEP_MS = 5_000;
/** The longest wait between tries of a failing send. */
const MAX_BACKOFF_MS = 60_000;
/** Sent entries are deleted together, this long after the first of them is done. */
const DELETE_AFTER_MS = 100;

export interface EmailOutboxDeps {
  models: Models;
  send: BarrierMailer;
  /** Tells a barrier's workflow of messages refused for good. */
  report: (workflowId: string, rejected: EmailRejection[]) => Promise<void>;
  warn: (message: string, meta: Record<string, unknown>) => void;
  leaseMs?: number;
  sweepEveryMs?: number;
}

interface Taken {
  _id: string;
  workflowId: string;
  input: NotifyBarrierInput;
  attempts: number;
  /** Refusals of a finished send whose report to the workflow failed: reported, not sent again. */
  rejected?: EmailRejection[] | null;
}

export type EmailOutbox = ReturnType<typeof createEmailOutbox>;

export function createEmailOutbox(deps: EmailOutboxDeps) {
  const { models } = deps;
  const lease = deps.leaseMs ?? OUTBOX_LEASE_MS;
  const sweepEvery = deps.sweepEveryMs ?? OUTBOX_SWEEP_MS;
  const sending = new Map<string, Promise<void>>();
  let sweeper: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  let running = false;
  const leaseFromNow = () => new Date(Date.now() + lease);

  // Sent entries, deleted in one command a moment later. One left behind by a
  // crash is taken again when its lease lapses and sends nothing (the ledger).
  let sent: string[] = [];
  let deleting: NodeJS.Timeout | undefined;
  const deleteSent = async () => {
    clearTimeout(deleting);
    deleting = undefined;
    const ids = sent;
    sent = [];
    if (ids.length === 0) return;
    await models.EmailOutbox.deleteMany({ _id: { $in: ids } }).catch((err: unknown) =>
      deps.warn('sent emails left in the outbox', { ids, error: (err as Error).message }),
    );
  };

  /** Sends a taken entry's emails, then deletes it; on failure, sets its next try. */
  async function deliver(entry: Taken): Promise<void> {
    const mine = { _id: entry._id, attempts: entry.attempts };
    const renew = setInterval(() => {
      models.EmailOutbox.updateOne(mine, { $set: { dueAt: leaseFromNow() } }).catch(
        () => undefined,
      );
    }, lease / 3);
    try {
      const rejected =
        entry.rejected ??
        (
          await deps.send(entry.input, {
            activityKey: `outbox:${entry._id}`,
            attempt: entry.attempts,
          })
        ).rejected;
      if (rejected.length > 0) {
        // A resend would find them done and report nothing: keep them for the next try.
        await deps.report(entry.workflowId, rejected).catch(async (err: unknown) => {
          await models.EmailOutbox.updateOne(mine, { $set: { rejected } }).catch(() => undefined);
          throw err;
        });
      }
      sent.push(entry._id);
      deleting ??= setTimeout(() => void deleteSent(), DELETE_AFTER_MS);
    } catch (err) {
      const wait = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** (entry.attempts - 1));
      const error = (err as Error).message;
      deps.warn('barrier emails not sent; trying again', {
        entry: entry._id,
        attempts: entry.attempts,
        inMs: wait,
        error,
      });
      await models.EmailOutbox.updateOne(mine, {
        $set: { dueAt: new Date(Date.now() + wait), error },
      }).catch(() => undefined);
    } finally {
      clearInterval(renew);
    }
  }

  // Sends run in the outbox's own async context, not in that of the projection
  // that queued them: that activity has finished (and must not be heartbeated).
  const context = new AsyncResource('EmailOutbox');

  function take(entry: Taken): void {
    if (sending.has(entry._id)) return;
    const done = context
      .runInAsyncScope(() => deliver(entry))
      .finally(() => sending.delete(entry._id));
    sending.set(entry._id, done);
  }

  /** Takes every entry whose lease or wait has run out (compare-and-set on its attempts). */
  async function sweep(): Promise<void> {
    const due = await models.EmailOutbox.find({ dueAt: { $lte: new Date() } })
      .sort({ dueAt: 1 })
      .limit(100)
      .lean();
    for (const entry of due) {
      if (!running) return;
      if (sending.has(entry._id) || sent.includes(entry._id)) continue;
      const res = await models.EmailOutbox.updateOne(
        { _id: entry._id, attempts: entry.attempts },
        { $set: { dueAt: leaseFromNow() }, $inc: { attempts: 1 } },
      );
      if (res.modifiedCount === 1) {
        take({
          _id: entry._id,
          workflowId: entry.workflowId,
          input: entry.input as NotifyBarrierInput,
          attempts: entry.attempts + 1,
          rejected: entry.rejected as EmailRejection[] | null | undefined,
        });
      }
    }
  }

  const sweepNow = () => {
    sweeping ??= sweep()
      .catch((err: unknown) =>
        deps.warn('email outbox sweep failed', { error: (err as Error).message }),
      )
      .finally(() => (sweeping = undefined));
  };

  return {
    /**
     * Queues a projected batch's emails (a retried projection finds its entry
     * there) and, while this worker runs, sends them now. Call after the read
     * model is written; never awaits the send.
     */
    queue: async (workflowId: string, input: NotifyBarrierInput): Promise<void> => {
      const entry: Taken = {
        _id: `${input.view.id}:${input.events[0]!.seq}`,
        workflowId,
        input,
        attempts: 1,
      };
      try {
        // The native collection: the input is stored as the workflow gave it (no casting).
        await models.EmailOutbox.collection.insertOne({
          ...entry,
          barrierId: input.view.id,
          dueAt: leaseFromNow(),
          error: null,
          createdAt: new Date(),
        } as never);
      } catch (err) {
        if (isDuplicateKey(err)) return; // queued by an earlier try: its holder or a sweep sends it
        throw err;
      }
      if (running) take(entry);
    },

    /** Starts sending: a sweep now (entries a dead worker left), then every few seconds. */
    start: (): void => {
      if (running) return;
      running = true;
      sweepNow();
      sweeper = setInterval(sweepNow, sweepEvery);
      sweeper.unref();
    },

    /** Stops taking entries and waits for the sends under way. */
    stop: async (): Promise<void> => {
      running = false;
      clearInterval(sweeper);
      await sweeping;
      await Promise.allSettled([...sending.values()]);
      await deleteSent();
    },
  };
}

/** Reports refusals to the barrier's workflow; one that has ended for good cannot record them. */
export function reportToWorkflow(client: Client, warn: EmailOutboxDeps['warn']) {
  return async (workflowId: string, rejected: EmailRejection[]) => {
    try {
      await client.workflow.getHandle(workflowId).signal(emailsRejectedSignal, rejected);
    } catch (err) {
      if (!workflowHasEnded(err)) throw err;
      warn('emails refused for a barrier whose workflow has ended', { workflowId, rejected });
    }
  };
}
