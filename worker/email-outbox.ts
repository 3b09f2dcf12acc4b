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
 * - **One email for what happens together.** With a window, a barrier's entry
 *   holds its messages (activities/email-batches.ts) rather than sending them;
 *   when a person's first held message has waited the window, everything held
 *   for them becomes one entry, a combined email, sent as above.
 * - **Outages said.** Each sweep records that a worker is alive; a start after
 *   a silence records the outage, which combined emails for timers that fell
 *   due in it then name.
 */
import { AsyncResource } from 'node:async_hooks';
import type { Client } from '@temporalio/client';
import type { Models } from '../store/models.ts';
import { splitForEmails } from '../domain/notifications/coalesce.ts';
import { isDuplicateKey } from '../store/store.ts';
import { inSpanFrom, traceCarrier } from '../observability/tracing/trace-carrier.ts';
import { emailsRejectedSignal } from '../workflows/barrier/definitions.ts';
import { workflowHasEnded } from '../workflows/lifecycle.ts';
import type {
  BarrierMailer,
  EmailRejection,
  NotifyBarrierInput,
} from '../activities/notifications.ts';
import {
  batchKey,
  heldItem,
  type Batch,
  type BatchRejection,
  type BatchSender,
} from '../activities/email-batches.ts';

/** How long a take holds an entry; renewed every third of it while the send runs. */
export const OUTBOX_LEASE_MS = 15_000;
/** How often a worker looks for entries nobody holds (a dead worker's, a failed send's). */
export const OUTBOX_SWEEP_MS = 5_000;
/** The longest wait between tries of a failing send. */
const MAX_BACKOFF_MS = 60_000;
/** Sent entries are deleted together, this long after the first of them is done. */
const DELETE_AFTER_MS = 100;
/** A silence longer than this before a worker's sweep counts as an outage (sweeps run every 5 s). */
export const OUTAGE_AFTER_MS = 30_000;

export interface EmailOutboxDeps {
  models: Models;
  send: BarrierMailer;
  /** Tells a barrier's workflow of messages refused for good. */
  report: (workflowId: string, rejected: EmailRejection[]) => Promise<void>;
  warn: (message: string, meta: Record<string, unknown>) => void;
  /** Sends a combined email (activities/email-batches.ts); needed once messages are held. */
  sendBatch?: BatchSender;
  leaseMs?: number;
  sweepEveryMs?: number;
}

interface Taken {
  _id: string;
  workflowId: string;
  /** A barrier's batch of events to plan emails from, or… */
  input: NotifyBarrierInput | null;
  /** …one person's held messages to send as one email. */
  batch?: Batch | null;
  attempts: number;
  /** Refusals of a finished send whose report to the workflow failed: reported, not sent again. */
  rejected?: BatchRejection[] | null;
  /** The trace of the projection that queued it (observability/tracing/trace-carrier.ts). */
  trace?: Record<string, string> | null;
}

/** Refusals by the workflow that records them. */
function byWorkflow(rejected: readonly BatchRejection[]): Map<string, EmailRejection[]> {
  const out = new Map<string, EmailRejection[]>();
  for (const r of rejected) out.set(r.workflowId, [...(out.get(r.workflowId) ?? []), r.rejection]);
  return out;
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
      const attempt = { activityKey: `outbox:${entry._id}`, attempt: entry.attempts };
      let rejected = entry.rejected;
      if (!rejected && entry.batch) {
        if (!deps.sendBatch) throw new Error('this outbox cannot send combined emails');
        rejected = (await deps.sendBatch(entry._id, entry.batch, attempt)).rejected;
      } else if (!rejected && entry.input) {
        const result = await deps.send(entry.input, attempt);
        for (const h of result.held ?? []) flushAt(h.to, h.dueAt);
        rejected = result.rejected.map((rejection) => ({
          workflowId: entry.workflowId,
          rejection,
        }));
      }
      if (rejected && rejected.length > 0) {
        // A resend would find them done and report nothing: keep them for the next try.
        const keep = rejected;
        try {
          for (const [workflowId, some] of byWorkflow(keep)) await deps.report(workflowId, some);
        } catch (err) {
          await models.EmailOutbox.updateOne(mine, { $set: { rejected: keep } }).catch(
            () => undefined,
          );
          throw err;
        }
        // Reported now: a worker that takes the entry before it is deleted (its lease
        // lapsed on a slow machine) must not report them again; a resend reports nothing.
        if (entry.rejected)
          await models.EmailOutbox.updateOne(mine, { $set: { rejected: null } }).catch(
            () => undefined,
          );
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

  // A timer per person with held messages, set for the end of their window.
  const flushTimers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  function flushAt(to: string, at: number): void {
    const set = flushTimers.get(to);
    if (set && set.at <= at) return;
    if (set) clearTimeout(set.timer);
    const timer = setTimeout(
      () => {
        flushTimers.delete(to);
        if (running) void flush(to);
      },
      Math.max(0, at - Date.now()),
    );
    timer.unref();
    flushTimers.set(to, { at, timer });
  }

  /**
   * Once the first message held for `to` has waited its window, makes
   * everything held for them one combined email (an entry; several for a long
   * burst) and sends it.
   */
  async function flush(to: string): Promise<void> {
    try {
      const held = await models.EmailPending.find({ to, batchKey: null }).lean();
      if (held.length === 0) return;
      const first = Math.min(...held.map((h) => h.dueAt.getTime()));
      if (first > Date.now()) {
        flushAt(to, first);
        return;
      }
      const emails = splitForEmails(held.map(heldItem));
      for (const items of emails) {
        const keys = items.map((i) => i.key).sort();
        const entry: Taken = {
          _id: batchKey(to, keys),
          workflowId: '',
          input: null,
          batch: { to, keys },
          attempts: 1,
        };
        try {
          await models.EmailOutbox.collection.insertOne({
            ...entry,
            barrierId: '',
            dueAt: leaseFromNow(),
            error: null,
            rejected: null,
            createdAt: new Date(),
          } as never);
        } catch (err) {
          if (isDuplicateKey(err)) continue; // the same email, made by another worker
          throw err;
        }
        if (running) take(entry);
      }
    } catch (err) {
      deps.warn('held emails not flushed; the sweep tries again', {
        to,
        error: (err as Error).message,
      });
    }
  }

  /** Flushes everyone whose held messages have waited their window (a dead worker's, say). */
  async function flushWaiting(): Promise<void> {
    try {
      const waiting = await models.EmailPending.find(
        { batchKey: null, dueAt: { $lte: new Date() } },
        { to: 1 },
      )
        .limit(1_000)
        .lean();
      for (const to of new Set(waiting.map((w) => w.to))) await flush(to);
    } catch (err) {
      deps.warn('held emails not looked for', { error: (err as Error).message });
    }
  }

  /** Records that a worker is alive; after a silence, the outage it ends. */
  async function markAlive(): Promise<void> {
    const now = new Date();
    const last = await models.WorkerPresence.findById('alive').lean();
    await models.WorkerPresence.updateOne(
      { _id: 'alive' },
      { $set: { at: now } },
      { upsert: true },
    );
    const since = last?.at;
    if (since && now.getTime() - since.getTime() > OUTAGE_AFTER_MS) {
      await models.WorkerPresence.create({
        _id: `outage:${since.toISOString()}`,
        from: since,
        to: now,
      }).catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err;
      });
    }
  }

  // Sends run in the outbox's own async context, not in that of the projection
  // that queued them: that activity has finished (and must not be heartbeated).
  const context = new AsyncResource('EmailOutbox');

  function take(entry: Taken): void {
    if (sending.has(entry._id)) return;
    const done = context
      .runInAsyncScope(() =>
        inSpanFrom(
          'email outbox send',
          entry.trace,
          {
            'golden_thread.outbox.entry': entry._id,
            'golden_thread.outbox.attempt': entry.attempts,
          },
          () => deliver(entry),
        ),
      )
      .finally(() => sending.delete(entry._id));
    sending.set(entry._id, done);
  }

  /** Takes every entry whose lease or wait has run out (compare-and-set on its attempts). */
  async function sweep(): Promise<void> {
    // Neither of these may keep the sweep from the entries below.
    await markAlive().catch((err: unknown) =>
      deps.warn('worker presence not recorded', { error: (err as Error).message }),
    );
    if (deps.sendBatch) await flushWaiting();
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
          input: (entry.input ?? null) as NotifyBarrierInput | null,
          batch: (entry.batch ?? null) as Batch | null,
          attempts: entry.attempts + 1,
          rejected: upgradeRejected(entry.workflowId, entry.rejected),
          trace: (entry.trace ?? null) as Record<string, string> | null,
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
     * Sends what is held for `to` once `at` has come (with whatever else is
     * held for them then): for messages held outside the outbox (an ask's).
     */
    heldFor: (to: string, at: number): void => flushAt(to, at),
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
        trace: traceCarrier(),
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
      for (const { timer } of flushTimers.values()) clearTimeout(timer);
      flushTimers.clear();
      await sweeping;
      await Promise.allSettled([...sending.values()]);
      await deleteSent();
    },
  };
}

/** Refusals kept by an entry: per workflow, or (entries written before combined emails) the entry's own. */
function upgradeRejected(workflowId: string, kept: unknown): BatchRejection[] | null {
  if (!Array.isArray(kept)) return null;
  return (kept as (BatchRejection | EmailRejection)[]).map((r) =>
    'rejection' in r ? r : { workflowId, rejection: r },
  );
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
