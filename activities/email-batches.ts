/**
 * One email for what happens together: barrier emails held for a short window
 * per person, then sent as one combined email (the rules are
 * domain/notifications/coalesce.ts; the worker's outbox runs the window).
 *
 * - **Nothing twice.** A held message is an `email_pending` document under its
 *   own key. A combined email is an outbox entry naming the keys it takes;
 *   sending it first gives it those still free (`batchKey`, a compare-and-set,
 *   so no key is in two emails), then sends what it holds through the ledger
 *   under its own key. Afterwards each key is written to the log (`batched`),
 *   so a held message planned again (a retried projection) is not held twice.
 * - **Nothing lost.** Held messages stay in the database until an email has
 *   carried them; a worker that dies leaves them for the next sweep.
 * - **Nothing stale.** Items whose reason has gone when the email is written
 *   are left out; with nothing left, nothing is sent.
 */
import { createHash } from 'node:crypto';
import {
  COMBINED_KIND,
  mostUrgentFirst,
  outageBehind,
  stillWanted,
  summariseItems,
  type BarrierNow,
  type Outage,
} from '../domain/notifications/coalesce.ts';
import type { MessageKind } from '../domain/notifications/messages.ts';
import { isDuplicateKey } from '../store/store.ts';
import type { EmailPendingDoc, Models } from '../store/models.ts';
import {
  isAskItem,
  itemReference,
  renderAskMessage,
  renderBarrierMessage,
  renderCombined,
  type CombinedItem,
} from '../notify/templates.ts';
import type { OutgoingEmail } from '../notify/transport.ts';
import type { createEmailLedger, SendAttempt } from './email-ledger.ts';
import type { EmailRejection } from './notifications.ts';

/** A message to hold: its key, reader, what it says and where it came from. */
export interface HeldMessage {
  key: string;
  kind: MessageKind;
  to: string;
  /** The barrier it is about, or (`null`) the Whitehall ask `askId`. */
  barrierId: string | null;
  askId?: string | null;
  /** The workflow told of a refusal (the barrier's or the ask's). */
  workflowId: string;
  context: CombinedItem;
  /** The barrier's cycle when planned (0 for an ask). */
  cycle: number;
  causeAt: number;
  bySystem: boolean;
}

/** A combined email as its outbox entry names it. */
export interface Batch {
  to: string;
  keys: string[];
}

/** A refusal, and the barrier workflow that records it. */
export interface BatchRejection {
  workflowId: string;
  rejection: EmailRejection;
}

/** Outages older than this are no longer looked up for a combined email. */
const OUTAGE_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Holds messages for `windowMs`. A message already in the log (sent, or
 * carried by a combined email) is not held again. Returns whom it holds for
 * and until when, so the caller can flush on time.
 */
export async function holdMessages(
  models: Models,
  messages: readonly HeldMessage[],
  windowMs: number,
): Promise<{ to: string; dueAt: number }[]> {
  const held: { to: string; dueAt: number }[] = [];
  const now = Date.now();
  for (const m of messages) {
    const dueAt = now + windowMs;
    try {
      await models.EmailPending.create({
        _id: m.key,
        to: m.to,
        kind: m.kind,
        barrierId: m.barrierId,
        askId: m.askId ?? null,
        workflowId: m.workflowId,
        context: m.context,
        cycle: m.cycle,
        causeAt: new Date(m.causeAt),
        bySystem: m.bySystem,
        dueAt: new Date(dueAt),
        batchKey: null,
        createdAt: new Date(now),
      });
    } catch (err) {
      if (isDuplicateKey(err)) continue; // held by an earlier try
      throw err;
    }
    // Free to insert means no email holds it now: one may have carried it already.
    if (await models.EmailLog.exists({ _id: m.key })) {
      await models.EmailPending.deleteOne({ _id: m.key, batchKey: null });
      continue;
    }
    held.push({ to: m.to, dueAt });
  }
  return held;
}

/** What ordering and splitting need of a held message (domain/notifications/coalesce.ts). */
export function heldItem(h: Pick<EmailPendingDoc, '_id' | 'kind' | 'context'>) {
  const c = h.context as CombinedItem;
  return { key: h._id, kind: h.kind as MessageKind, reference: itemReference(c), event: c.event };
}

/** The key of the combined email that takes these held keys (the same set, the same key). */
export function batchKey(to: string, keys: readonly string[]): string {
  const digest = createHash('sha256')
    .update([...keys].sort().join('\n'))
    .digest('hex')
    .slice(0, 24);
  return `batch:${to.toLowerCase()}:${digest}`;
}

export interface BatchSenderDeps {
  models: Models;
  ledger: Pick<ReturnType<typeof createEmailLedger>, 'deliverComposed'>;
  /** Links: `${publicBaseUrl}/barriers`. */
  publicBaseUrl: string;
}

/** Sends combined emails: see the file's comment. */
export function createBatchSender(deps: BatchSenderDeps) {
  const { models } = deps;

  async function barriersNow(ids: string[]): Promise<Map<string, BarrierNow>> {
    const docs = await models.Barrier.find(
      { _id: { $in: ids } },
      { status: 1, stage: 1, cycle: 1, acknowledged: 1, ownerEmail: 1, 'sla.paused': 1 },
    ).lean();
    return new Map(
      docs.map((d) => [
        d._id,
        {
          status: d.status,
          stage: d.stage,
          cycle: d.cycle,
          acknowledged: d.acknowledged,
          ownerEmail: d.ownerEmail ?? null,
          paused: Boolean((d as { sla?: { paused?: unknown } }).sla?.paused),
        },
      ]),
    );
  }

  async function outages(since: number): Promise<Outage[]> {
    const docs = await models.WorkerPresence.find({
      _id: /^outage:/,
      to: { $gte: new Date(since) },
    }).lean();
    return docs.flatMap((d) =>
      d.from && d.to ? [{ from: d.from.getTime(), to: d.to.getTime() }] : [],
    );
  }

  /**
   * Sends the combined email `key` for `batch`, once. Returns refusals (a bad
   * address) for each barrier's timeline.
   */
  return async function sendBatch(
    key: string,
    batch: Batch,
    attempt: SendAttempt,
  ): Promise<{ rejected: BatchRejection[] }> {
    await models.EmailPending.updateMany(
      { _id: { $in: batch.keys }, batchKey: null },
      { $set: { batchKey: key } },
    );
    const taken = await models.EmailPending.find({ batchKey: key }).lean();
    if (taken.length === 0) return { rejected: [] };
    // One item alone is the email it would have been without the window, under its own key.
    const only = taken.length === 1 ? taken[0]! : null;
    let included: EmailPendingDoc[] = [];
    const outcome = await deps.ledger.deliverComposed(
      {
        key: only ? only._id : key,
        kind: only ? (only.kind as MessageKind) : COMBINED_KIND,
        to: batch.to,
        barrierId: only?.barrierId ?? null,
      },
      async () => {
        const now = Date.now();
        const facts = await barriersNow([
          ...new Set(taken.flatMap((t) => (t.barrierId ? [t.barrierId] : []))),
        ]);
        included = taken.filter((t) => {
          const item = t.context as CombinedItem;
          // An ask's news to its owner is never stale: it always goes.
          if (isAskItem(item) || !t.barrierId) return true;
          const c = item;
          return stillWanted(
            {
              kind: t.kind as MessageKind,
              to: t.to,
              event: c.event,
              stage: c.barrier.stage,
              cycle: t.cycle,
            },
            facts.get(t.barrierId) ?? null,
            now,
          );
        });
        if (included.length === 0) return null;
        const contexts = mostUrgentFirst(
          included.map((t) => {
            const c = t.context as CombinedItem;
            return {
              ...c,
              reference: itemReference(c),
              about: isAskItem(c) ? ('ask' as const) : ('barrier' as const),
            };
          }),
        );
        const causes = included.map((t) => ({
          at: t.causeAt.getTime(),
          bySystem: Boolean(t.bySystem),
        }));
        const outage = outageBehind(causes, await outages(now - OUTAGE_LOOKBACK_MS));
        const first = contexts[0]!;
        if (contexts.length === 1 && !outage) {
          const one = included[0]!;
          return {
            key: only ? only._id : key,
            kind: only ? (only.kind as MessageKind) : (one.kind as MessageKind),
            to: batch.to,
            ...(isAskItem(first) ? renderAskMessage(first) : renderBarrierMessage(first)),
          } satisfies OutgoingEmail;
        }
        return {
          key: only ? only._id : key,
          kind: only ? (only.kind as MessageKind) : COMBINED_KIND,
          to: batch.to,
          ...renderCombined({
            recipient: first.recipient,
            items: contexts,
            summary: summariseItems(contexts),
            outage,
            at: now,
            link: `${deps.publicBaseUrl}/barriers`,
          }),
        } satisfies OutgoingEmail;
      },
      attempt,
    );
    const reason =
      outcome === 'rejected'
        ? ((await models.EmailLog.findById(only ? only._id : key, { error: 1 }).lean())?.error ??
          'refused')
        : '';
    const rejected: BatchRejection[] =
      outcome === 'rejected'
        ? (included.length > 0 ? included : taken).map((t) => ({
            workflowId: t.workflowId,
            rejection: { to: t.to, kind: t.kind as MessageKind, reason },
          }))
        : [];
    // Each key in the log, so a message planned again is not held again.
    if (!only) {
      const done = new Set(included.map((t) => t._id));
      const gone = outcome === 'sent' || outcome === 'rejected';
      for (const t of taken) {
        const status =
          outcome === 'superseded' || (gone && !done.has(t._id))
            ? 'superseded'
            : outcome === 'rejected'
              ? 'rejected'
              : 'batched';
        await models.EmailLog.create({
          _id: t._id,
          kind: t.kind,
          to: t.to,
          barrierId: t.barrierId,
          status,
          batchKey: key,
          createdAt: t.createdAt,
        }).catch((err: unknown) => {
          if (!isDuplicateKey(err)) throw err;
        });
      }
    }
    await models.EmailPending.deleteMany({ batchKey: key });
    return { rejected };
  };
}

export type BatchSender = ReturnType<typeof createBatchSender>;
