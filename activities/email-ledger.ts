/**
 * Emails, exactly once: the email ledger.
 *
 * Every message has an idempotency key. Before the transport is called the key
 * is claimed in the email log (its `_id`, so unique); after the call the entry
 * says `sent` or `rejected`. A retried activity, a restarted worker or a
 * replayed workflow finds the entry and sends nothing. A claim left by an
 * attempt that died mid-send is taken over by the next attempt of the same
 * activity (Temporal never runs two attempts at once) or, from anywhere else,
 * once its lease expires. The one window left is a crash after the relay
 * accepted the message and before the log says so; the Message-ID (derived
 * from the key) lets a receiving system recognise that repeat.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { EmailLogDoc, Models } from '../store/models.ts';
import { isDuplicateKey } from '../store/store.ts';
import { recordEmail } from '../observability/metrics/metrics.ts';
import {
  PermanentRejection,
  type EmailTransport,
  type OutgoingEmail,
} from '../notify/transport.ts';

export type Outcome = 'sent' | 'already-done' | 'rejected' | 'deferred' | 'superseded';

/** Thrown (and retried) while another live attempt holds a message's claim. */
export class SendInProgress extends Error {
  override readonly name = 'SendInProgress';
}

/**
 * Who is sending: a key that is the same for every attempt at the same work
 * (an activity, an outbox entry) and the attempt's number. A later attempt of
 * the same key may take over a claim an earlier one left.
 */
export interface SendAttempt {
  activityKey: string;
  attempt: number;
}

/** The current activity's identity, or a one-off one outside an activity (tests, scripts). */
function currentAttempt(): SendAttempt {
  try {
    const info = Context.current().info;
    const run = info.workflowExecution;
    return {
      activityKey: `${run?.workflowId ?? ''}/${run?.runId ?? ''}/${info.activityId}`,
      attempt: info.attempt,
    };
  } catch {
    return { activityKey: randomUUID(), attempt: 1 };
  }
}

/** Heartbeats every 2 s while `fn` runs, so a dead worker is noticed quickly. */
export async function withHeartbeat<T>(fn: () => Promise<T>): Promise<T> {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    return fn();
  }
  const beat = () => ctx.heartbeat();
  beat();
  const timer = setInterval(beat, 2_000);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

export interface EmailLedgerDeps {
  log: Models['EmailLog'];
  transport: EmailTransport;
  /** How long a claim holds before another worker may take it over (default 60 s). */
  leaseMs?: number;
}

export function createEmailLedger(deps: EmailLedgerDeps) {
  const { log, transport } = deps;
  const lease = deps.leaseMs ?? 60_000;

  /** Claims `key` for this attempt; returns the finished outcome instead when there is one. */
  async function claim(
    entry: Partial<EmailLogDoc> & { _id: string },
    me: SendAttempt,
  ): Promise<Outcome | null> {
    const now = new Date();
    const mine = { ...me, until: new Date(now.getTime() + lease) };
    try {
      await log.create({ ...entry, status: 'sending', claim: mine, attempts: 1, createdAt: now });
      return null;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const existing = await log.findById(entry._id).lean();
    if (!existing) throw new SendInProgress(`email ${entry._id} vanished while claiming it`);
    if (existing.status !== 'sending') return 'already-done';
    const held = existing.claim;
    const free =
      !held ||
      (held.activityKey === me.activityKey && (held.attempt ?? 0) < me.attempt) ||
      (held.until ?? new Date(0)) < now;
    if (!free) throw new SendInProgress(`email ${entry._id} is being sent by another attempt`);
    const res = await log.updateOne(
      { _id: entry._id, status: 'sending', claim: held ?? null },
      { $set: { claim: mine }, $inc: { attempts: 1 } },
    );
    if (res.modifiedCount === 0) {
      throw new SendInProgress(`email ${entry._id} was claimed by another attempt`);
    }
    return null;
  }

  /** The transport's send, counted by kind: sent, refused for good, or failed (tried again). */
  async function sendCounted(message: OutgoingEmail): Promise<{ id: string }> {
    try {
      const sent = await transport.send(message);
      recordEmail(message.kind, 'sent');
      return sent;
    } catch (err) {
      recordEmail(message.kind, err instanceof PermanentRejection ? 'refused' : 'failed');
      throw err;
    }
  }

  async function finish(key: string, set: Partial<EmailLogDoc>): Promise<void> {
    await log.updateOne({ _id: key }, { $set: { ...set, claim: null } });
  }

  /**
   * Sends `message` unless its key is already in the log. `stillWanted` is asked
   * just before sending: a reminder overtaken by events is recorded, not sent.
   * `attempt` says who sends (by default the current activity's attempt).
   */
  async function deliverOnce(
    message: OutgoingEmail,
    meta: { barrierId?: string; askId?: string },
    stillWanted?: () => Promise<boolean>,
    attempt: SendAttempt = currentAttempt(),
  ): Promise<Outcome> {
    const claimed = await claim(
      {
        _id: message.key,
        kind: message.kind,
        to: message.to,
        subject: message.subject,
        barrierId: meta.barrierId ?? null,
        askId: meta.askId ?? null,
      },
      attempt,
    );
    if (claimed) return claimed;
    if (stillWanted && !(await stillWanted())) {
      await finish(message.key, { status: 'superseded' });
      return 'superseded';
    }
    try {
      const { id } = await sendCounted(message);
      await finish(message.key, { status: 'sent', transportId: id, sentAt: new Date() });
      return 'sent';
    } catch (err) {
      if (err instanceof PermanentRejection) {
        await finish(message.key, { status: 'rejected', error: err.message });
        return 'rejected';
      }
      // Free the claim so the next attempt sends straight away, then retry.
      await finish(message.key, { error: (err as Error).message }).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Sends the message `compose` writes, under `key`, unless the key is already
   * in the log. `compose` runs after the claim, so what the message says (a
   * combined email leaves out items gone by) is decided by the one attempt that
   * sends it; null means nothing is left to say (`superseded`).
   */
  async function deliverComposed(
    head: { key: string; kind: OutgoingEmail['kind']; to: string; barrierId?: string | null },
    compose: () => Promise<OutgoingEmail | null>,
    attempt: SendAttempt = currentAttempt(),
  ): Promise<Outcome> {
    const claimed = await claim(
      {
        _id: head.key,
        kind: head.kind,
        to: head.to,
        barrierId: head.barrierId ?? null,
        askId: null,
      },
      attempt,
    );
    if (claimed) return claimed;
    const message = await compose();
    if (!message) {
      await finish(head.key, { status: 'superseded' });
      return 'superseded';
    }
    try {
      const { id } = await sendCounted(message);
      await finish(head.key, {
        status: 'sent',
        subject: message.subject,
        transportId: id,
        sentAt: new Date(),
      });
      return 'sent';
    } catch (err) {
      if (err instanceof PermanentRejection) {
        await finish(head.key, {
          status: 'rejected',
          subject: message.subject,
          error: err.message,
        });
        return 'rejected';
      }
      await finish(head.key, { error: (err as Error).message }).catch(() => undefined);
      throw err;
    }
  }

  /** Records a non-urgent message for the reader's daily digest instead of sending it. */
  async function defer(message: OutgoingEmail, barrierId: string): Promise<Outcome> {
    try {
      await log.create({
        _id: message.key,
        kind: message.kind,
        to: message.to,
        subject: message.subject,
        barrierId,
        status: 'deferred',
        createdAt: new Date(),
      });
      return 'deferred';
    } catch (err) {
      if (isDuplicateKey(err)) return 'already-done';
      throw err;
    }
  }

  return { deliverOnce, deliverComposed, defer };
}
