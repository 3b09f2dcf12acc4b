/**
 * Emails, exactly once.
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
import type { TimelineEvent } from '../domain/barrier/barrier-machine.ts';
import { isoDate, londonDate, formatLondon } from '../domain/calendar/london-time.ts';
import {
  planAskMessages,
  planBarrierMessages,
  URGENT_KINDS,
  type MessageKind,
} from '../domain/notifications/messages.ts';
import type { BarrierView } from '../workflows/barrier/definitions.ts';
import type { AskView } from '../workflows/ask/definitions.ts';
import type { AskEvent } from '../domain/ask/ask-machine.ts';
import { DEPARTMENTS, type Department } from '../domain/reference-data.ts';
import type { EmailLogDoc, Models } from '../store/models.ts';
import { findByIds } from '../store/point-reads.ts';
import { isDuplicateKey } from '../store/store.ts';
import {
  formatSpan,
  renderAskMessage,
  renderBarrierMessage,
  renderDigest,
  type DigestItem,
} from '../notify/templates.ts';
import {
  PermanentRejection,
  type EmailTransport,
  type OutgoingEmail,
} from '../notify/transport.ts';

export interface NotificationDeps {
  models: Models;
  transport: EmailTransport;
  /** Links in emails start with this (no trailing slash). */
  publicBaseUrl: string;
  /** How long a claim holds before another worker may take it over (default 60 s). */
  claimLeaseMs?: number;
}

export interface NotifyBarrierInput {
  view: BarrierView;
  events: TimelineEvent[];
}

export interface EmailRejection {
  to: string;
  kind: MessageKind;
  reason: string;
}

type Outcome = 'sent' | 'already-done' | 'rejected' | 'deferred' | 'superseded';

/** Thrown (and retried) while another live attempt holds a message's claim. */
export class SendInProgress extends Error {
  override readonly name = 'SendInProgress';
}

/** The current activity's identity, or a one-off one outside an activity (tests, scripts). */
function currentAttempt(): { activityKey: string; attempt: number } {
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
async function withHeartbeat<T>(fn: () => Promise<T>): Promise<T> {
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

export function createNotificationActivities(deps: NotificationDeps) {
  const { models, transport } = deps;
  const lease = deps.claimLeaseMs ?? 60_000;
  const log = models.EmailLog;

  /** Claims `key` for this attempt; returns the finished outcome instead when there is one. */
  async function claim(entry: Partial<EmailLogDoc> & { _id: string }): Promise<Outcome | null> {
    const me = currentAttempt();
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

  async function finish(key: string, set: Partial<EmailLogDoc>): Promise<void> {
    await log.updateOne({ _id: key }, { $set: { ...set, claim: null } });
  }

  /**
   * Sends `message` unless its key is already in the log. `stillWanted` is asked
   * just before sending: a reminder overtaken by events is recorded, not sent.
   */
  async function deliverOnce(
    message: OutgoingEmail,
    meta: { barrierId?: string; askId?: string },
    stillWanted?: () => Promise<boolean>,
  ): Promise<Outcome> {
    const claimed = await claim({
      _id: message.key,
      kind: message.kind,
      to: message.to,
      subject: message.subject,
      barrierId: meta.barrierId ?? null,
      askId: meta.askId ?? null,
    });
    if (claimed) return claimed;
    if (stillWanted && !(await stillWanted())) {
      await finish(message.key, { status: 'superseded' });
      return 'superseded';
    }
    try {
      const { id } = await transport.send(message);
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

  const linkTo = (barrierId: string) => `${deps.publicBaseUrl}/barriers/${barrierId}`;

  return {
    /**
     * Sends the emails a batch of a barrier's events calls for. Returns the
     * messages refused for good, for the workflow to put on the timeline.
     */
    async notifyBarrier(input: NotifyBarrierInput): Promise<{ rejected: EmailRejection[] }> {
      const { view, events } = input;
      const planned = planBarrierMessages(view, events);
      if (planned.length === 0) return { rejected: [] };
      const [people, locality] = await Promise.all([
        findByIds(models.Person, [...new Set(planned.map((p) => p.to))]),
        models.Locality.findById(view.locality).lean(),
      ]);
      const person = new Map(people.map((p) => [p._id, p]));
      const neighbourhoodName =
        locality?.neighbourhoods.find((n) => n.slug === view.neighbourhood)?.name ??
        view.neighbourhood;
      const rejected: EmailRejection[] = [];
      await withHeartbeat(async () => {
        for (const p of planned) {
          const reader = person.get(p.to);
          const rendered = renderBarrierMessage({
            kind: p.kind,
            event: p.event,
            recipient: { email: p.to, name: reader?.name ?? null },
            barrier: {
              reference: view.reference,
              title: view.title,
              localityName: locality?.name ?? view.locality,
              neighbourhoodName,
              stage: view.stage,
              calendar: view.sla.calendar,
              ownerName: view.owner?.name ?? null,
              acknowledgeDueAt: view.sla.acknowledgeDueAt,
              resolveDueAt: view.sla.resolveDueAt,
            },
            link: linkTo(view.id),
          });
          const message: OutgoingEmail = { key: p.key, kind: p.kind, to: p.to, ...rendered };
          if (reader?.delivery === 'daily-digest' && !URGENT_KINDS.includes(p.kind)) {
            await defer(message, view.id);
            continue;
          }
          const stillWanted =
            p.kind === 'warning' ? () => warningStillDue(view, p.event) : undefined;
          const outcome = await deliverOnce(message, { barrierId: view.id }, stillWanted);
          if (outcome === 'rejected') {
            const entry = await log.findById(p.key).lean();
            rejected.push({ to: p.to, kind: p.kind, reason: entry?.error ?? 'refused' });
          }
        }
      });
      return { rejected };
    },

    /** Tells an ask's GMCA owner of its submission, chasers and outcome. */
    async notifyAsk(input: {
      view: AskView;
      events: AskEvent[];
    }): Promise<{ rejected: EmailRejection[] }> {
      const { view } = input;
      const planned = planAskMessages(view, input.events);
      const rejected: EmailRejection[] = [];
      if (planned.length === 0) return { rejected };
      const reader = await models.Person.findById(view.owner.email).lean();
      await withHeartbeat(async () => {
        for (const p of planned) {
          const rendered = renderAskMessage({
            kind: p.kind,
            event: p.event,
            recipient: { email: p.to, name: reader?.name ?? view.owner.name },
            ask: {
              reference: view.reference,
              title: view.title,
              departmentName: DEPARTMENTS[view.department as Department] ?? view.department,
              barrierCount: view.barrierIds.length,
              dueAt: view.dueAt,
            },
            link: `${deps.publicBaseUrl}/asks/${view.id}`,
          });
          const outcome = await deliverOnce(
            { key: p.key, kind: p.kind, to: p.to, ...rendered },
            { askId: view.id },
          );
          if (outcome === 'rejected') {
            const entry = await log.findById(p.key).lean();
            rejected.push({ to: p.to, kind: p.kind, reason: entry?.error ?? 'refused' });
          }
        }
      });
      return { rejected };
    },

    /** Everyone with something in a digest on the morning of `asOf`. */
    async planDigests(input: { asOf: number }): Promise<string[]> {
      void input;
      const [owners, deferred] = await Promise.all([
        models.Barrier.find(
          { status: 'open', $or: [{ breached: true }, { atRisk: true }] },
          { ownerEmail: 1 },
        ).lean(),
        log.find({ status: 'deferred', digestKey: null }, { to: 1 }).lean(),
      ]);
      const emails = new Set<string>();
      for (const b of owners) if (b.ownerEmail) emails.add(b.ownerEmail);
      for (const d of deferred) emails.add(d.to);
      return [...emails].sort();
    },

    /** Sends one person's digest for the London date of `asOf`, once. */
    async sendDigest(input: { email: string; asOf: number }): Promise<Outcome | 'nothing-due'> {
      const date = isoDate(londonDate(input.asOf));
      const key = `digest:${date}:${input.email.toLowerCase()}`;
      const [reader, barriers, deferred] = await Promise.all([
        models.Person.findById(input.email).lean(),
        models.Barrier.find({
          ownerEmail: input.email,
          status: 'open',
          $or: [{ breached: true }, { atRisk: true }],
        }).lean(),
        log.find({ to: input.email, status: 'deferred', digestKey: null }).lean(),
      ]);
      const calendarOf = (b: (typeof barriers)[number]) =>
        b.sla.calendar === '24x7' ? '24x7' : 'working-hours-england-and-wales';
      const place = (b: (typeof barriers)[number]) => `${b.neighbourhood}, ${b.locality}`;
      const overdue = barriers
        .filter((b) => b.breached)
        .sort((a, b) => (a.overdueSince?.getTime() ?? 0) - (b.overdueSince?.getTime() ?? 0))
        .map<DigestItem>((b) => ({
          reference: b.reference,
          title: b.title,
          place: place(b),
          stage: b.stage,
          state: 'overdue',
          at: b.overdueSince?.getTime() ?? null,
          note: b.overdueSince
            ? `overdue by ${formatSpan(input.asOf - b.overdueSince.getTime(), calendarOf(b))} (since ${formatLondon(b.overdueSince.getTime())})`
            : 'overdue',
          link: linkTo(b._id),
        }));
      const atRisk = barriers
        .filter((b) => !b.breached)
        .sort((a, b) => (a.nextDeadlineAt?.getTime() ?? 0) - (b.nextDeadlineAt?.getTime() ?? 0))
        .map<DigestItem>((b) => ({
          reference: b.reference,
          title: b.title,
          place: place(b),
          stage: b.stage,
          state: 'at-risk',
          at: b.nextDeadlineAt?.getTime() ?? null,
          note: b.nextDeadlineAt ? `due ${formatLondon(b.nextDeadlineAt.getTime())}` : 'at risk',
          link: linkTo(b._id),
        }));
      const updates = deferred
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map<DigestItem>((d) => ({
          reference: '',
          title: d.subject ?? d.kind,
          place: '',
          stage: '',
          state: 'update',
          at: d.createdAt.getTime(),
          note: formatLondon(d.createdAt.getTime()),
          link: d.barrierId ? linkTo(d.barrierId) : deps.publicBaseUrl,
        }));
      const items = [...overdue, ...atRisk, ...updates];
      if (items.length === 0) return 'nothing-due';
      const rendered = renderDigest({
        recipient: { email: input.email, name: reader?.name ?? null },
        date,
        items,
        link: `${deps.publicBaseUrl}/barriers`,
      });
      const outcome = await withHeartbeat(() =>
        deliverOnce({ key, kind: 'digest', to: input.email, ...rendered }, {}),
      );
      if (outcome === 'sent' && deferred.length > 0) {
        await log.updateMany(
          { _id: { $in: deferred.map((d) => d._id) } },
          { $set: { digestKey: key } },
        );
      }
      return outcome;
    },
  };

  /** A warning goes only while its clock still runs at the same stage and cycle. */
  async function warningStillDue(view: BarrierView, event: TimelineEvent): Promise<boolean> {
    const now = await models.Barrier.findById(view.id, {
      status: 1,
      stage: 1,
      cycle: 1,
      acknowledged: 1,
      'sla.paused': 1,
    }).lean();
    if (!now) return true;
    if (now.status !== 'open' || now.stage !== event.stage || now.cycle !== view.cycle) {
      return false;
    }
    if (now.sla.paused) return false;
    return !(event.details.clock === 'acknowledge' && now.acknowledged);
  }
}
