/**
 * The notification activities: which emails a barrier's or an ask's events
 * call for, rendered for each reader, held for their digest or sent exactly
 * once through the email ledger (email-ledger.ts), and the daily digests.
 */
import type { EmailRejected, TimelineEvent } from '../domain/barrier/types.ts';
import { isoDate, londonDate } from '../domain/calendar/london-time.ts';
import { workingTimeBetween } from '../domain/calendar/working-time.ts';
import { formatDateTime, formatSpan, placeName } from '../domain/format/index.ts';
import {
  planAskMessages,
  planBarrierMessages,
  URGENT_KINDS,
  type MessageKind,
} from '../domain/notifications/messages.ts';
import type { BarrierView } from '../workflows/barrier/definitions.ts';
import { askWorkflowId, type AskView } from '../workflows/ask/definitions.ts';
import type { AskEvent } from '../domain/ask/ask-machine.ts';
import { departmentName } from '../domain/reference-data.ts';
import type { Models } from '../store/models.ts';
import { localityById, personById } from '../store/directory-reads.ts';
import { withReadStamps } from '../store/read-cache.ts';
import {
  renderAskMessage,
  renderBarrierMessage,
  renderDigest,
  type AskMessageContext,
  type BarrierMessageContext,
  type DigestItem,
} from '../notify/templates.ts';
import { barrierWorkflowId } from '../workflows/barrier/definitions.ts';
import { holdMessages, type HeldMessage } from './email-batches.ts';
import type { EmailTransport, OutgoingEmail } from '../notify/transport.ts';
import {
  createEmailLedger,
  withHeartbeat,
  type Outcome,
  type SendAttempt,
} from './email-ledger.ts';

/** Event types a follower may hear of: only these batches read the followers. */
export const FOLLOWED_EVENTS: ReadonlySet<string> = new Set([
  'escalated',
  'returned',
  'merged',
  'resolved',
  'withdrawn',
  'ask-submitted',
  'ask-outcome',
]);

export interface NotificationDeps {
  models: Models;
  transport: EmailTransport;
  /** Links in emails start with this (no trailing slash). */
  publicBaseUrl: string;
  /** How long a claim holds before another worker may take it over (default 60 s). */
  claimLeaseMs?: number;
  /**
   * How long a person's barrier emails wait for others that happen with them,
   * to go as one (EMAIL_WINDOW_SECONDS; 0: each at once, as planned).
   */
  emailWindowMs?: number;
}

export interface NotifyBarrierInput {
  view: BarrierView;
  events: TimelineEvent[];
}

/** A refused message as the senders report it: its kind is one the planner makes. */
export interface EmailRejection extends EmailRejected {
  kind: MessageKind;
}

/**
 * @param heldFor tells the worker's outbox that messages are held for a
 * person until an instant, so it sends them then (with a window only).
 */
export function createNotificationActivities(
  deps: NotificationDeps,
  sendBarrierEmails: BarrierMailer = createBarrierMailer(deps),
  heldFor: (to: string, at: number) => void = () => undefined,
) {
  const { models } = deps;
  const log = models.EmailLog;
  const { deliverOnce } = createEmailLedger({
    log,
    transport: deps.transport,
    leaseMs: deps.claimLeaseMs,
  });

  const linkTo = (barrierId: string) => `${deps.publicBaseUrl}/barriers/${barrierId}`;
  const windowMs = deps.emailWindowMs ?? 0;

  return {
    /**
     * Sends the emails a batch of a barrier's events calls for. Returns the
     * messages refused for good, for the workflow to put on the timeline.
     * (Barriers projected since the outbox patch send theirs through the
     * worker's outbox instead: worker/email-outbox.ts.)
     */
    notifyBarrier: async (input: NotifyBarrierInput): Promise<{ rejected: EmailRejection[] }> => ({
      rejected: (await sendBarrierEmails(input)).rejected,
    }),

    /**
     * Tells an ask's GMCA owner of its submission, chasers and outcome: at
     * once, or, with a window, submissions and chasers held to go with
     * whatever else they get then (a refusal of a held message reaches the
     * ask's workflow by signal). The outcome always goes at once.
     */
    async notifyAsk(input: {
      view: AskView;
      events: AskEvent[];
    }): Promise<{ rejected: EmailRejection[] }> {
      const { view } = input;
      const planned = planAskMessages(view, input.events);
      const rejected: EmailRejection[] = [];
      if (planned.length === 0) return { rejected };
      const reader = await models.Person.findById(view.owner.email).lean();
      const contextOf = (p: (typeof planned)[number]): AskMessageContext => ({
        kind: p.kind,
        event: p.event,
        recipient: { email: p.to, name: reader?.name ?? view.owner.name },
        ask: {
          reference: view.reference,
          title: view.title,
          departmentName: departmentName(view.department),
          barrierCount: view.barrierIds.length,
          dueAt: view.dueAt,
        },
        link: `${deps.publicBaseUrl}/asks/${view.id}`,
      });
      // The outcome ends the ask's workflow: it goes at once, so a refusal is still
      // recorded on the ask's timeline; submissions and chasers wait the window.
      const toHold = windowMs > 0 ? planned.filter((p) => p.kind !== 'ask-outcome') : [];
      const now = planned.filter((p) => !toHold.includes(p));
      if (toHold.length > 0) {
        const held = await holdMessages(
          models,
          toHold.map((p) => ({
            key: p.key,
            kind: p.kind,
            to: p.to,
            barrierId: null,
            askId: view.id,
            workflowId: askWorkflowId(view.id),
            context: contextOf(p),
            cycle: 0,
            causeAt: p.event.at,
            bySystem: p.event.actor === 'system',
          })),
          windowMs,
        );
        for (const h of held) heldFor(h.to, h.dueAt);
      }
      await withHeartbeat(async () => {
        for (const p of now) {
          const outcome = await deliverOnce(
            { key: p.key, kind: p.kind, to: p.to, ...renderAskMessage(contextOf(p)) },
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
      const place = (b: (typeof barriers)[number]) => placeName(b.locality, b.neighbourhood);
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
            ? `overdue by ${formatSpan(workingTimeBetween(calendarOf(b), b.overdueSince.getTime(), input.asOf), calendarOf(b))} (since ${formatDateTime(b.overdueSince, input.asOf)})`
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
          note: b.nextDeadlineAt
            ? `due ${formatDateTime(b.nextDeadlineAt, input.asOf)}`
            : 'at risk',
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
          note: formatDateTime(d.createdAt, input.asOf),
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
}

/**
 * What stands behind an event in its batch: the earliest instant (a late
 * breach's deadline stands behind the escalation recorded with it), and
 * whether only the system acted.
 */
function causeOf(
  events: readonly TimelineEvent[],
  event: TimelineEvent,
): { causeAt: number; bySystem: boolean } {
  const behind = events.filter((e) => e.seq <= event.seq);
  return {
    causeAt: Math.min(event.at, ...behind.map((e) => e.at)),
    bySystem: behind.every((e) => e.actor === 'system'),
  };
}

/** True when a batch of events calls for an email to anyone (followers decided when sending). */
export function callsForEmail({ view, events }: NotifyBarrierInput): boolean {
  return (
    events.some((e) => FOLLOWED_EVENTS.has(e.type)) ||
    planBarrierMessages({ ...view, followers: [] }, events).length > 0
  );
}

/** Sends a batch of a barrier's emails: the notifyBarrier activity, and the worker's outbox (worker/email-outbox.ts). */
export type BarrierMailer = (
  input: NotifyBarrierInput,
  attempt?: SendAttempt,
) => Promise<{ rejected: EmailRejection[]; held?: { to: string; dueAt: number }[] }>;

export function createBarrierMailer(deps: NotificationDeps): BarrierMailer {
  const { models } = deps;
  const log = models.EmailLog;
  const { deliverOnce, defer } = createEmailLedger({
    log,
    transport: deps.transport,
    leaseMs: deps.claimLeaseMs,
  });
  const linkTo = (barrierId: string) => `${deps.publicBaseUrl}/barriers/${barrierId}`;
  const windowMs = deps.emailWindowMs ?? 0;

  /**
   * Sends the emails a batch of a barrier's events calls for, once each, or,
   * with a window, holds them to go with whatever else their readers get then.
   * Returns the messages refused for good, for the barrier's timeline.
   * `attempt` says who sends (by default the current activity's attempt).
   */
  async function sendBarrierEmails(
    input: NotifyBarrierInput,
    attempt?: SendAttempt,
  ): Promise<{ rejected: EmailRejection[]; held?: { to: string; dueAt: number }[] }> {
    const { view, events } = input;
    const followers = events.some((e) => FOLLOWED_EVENTS.has(e.type))
      ? (await models.Follow.find({ barrierId: view.id }, { email: 1 }).lean()).map((f) => f.email)
      : [];
    const planned = planBarrierMessages({ ...view, followers }, events);
    if (planned.length === 0) return { rejected: [] };
    // Names, places and delivery choices from the read cache (sends at once share a stamp read).
    const [people, locality] = await withReadStamps(
      models,
      () =>
        Promise.all([
          Promise.all([...new Set(planned.map((p) => p.to))].map((to) => personById(models, to))),
          localityById(models, view.locality),
        ]),
      ['directory'],
    );
    const person = new Map(people.flatMap((p) => (p ? [[p._id, p] as const] : [])));
    const neighbourhoodName =
      locality?.neighbourhoods.find((n) => n.slug === view.neighbourhood)?.name ??
      view.neighbourhood;
    const rejected: EmailRejection[] = [];
    const toHold: HeldMessage[] = [];
    await withHeartbeat(async () => {
      for (const p of planned) {
        const reader = person.get(p.to);
        const context: BarrierMessageContext = {
          kind: p.kind,
          event: p.event,
          recipient: { email: p.to, name: reader?.name ?? null },
          follower: p.follower,
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
        };
        const message: OutgoingEmail = {
          key: p.key,
          kind: p.kind,
          to: p.to,
          ...renderBarrierMessage(context),
        };
        if (reader?.delivery === 'daily-digest' && !URGENT_KINDS.includes(p.kind)) {
          await defer(message, view.id);
          continue;
        }
        if (windowMs > 0) {
          toHold.push({
            key: p.key,
            kind: p.kind,
            to: p.to,
            barrierId: view.id,
            workflowId: barrierWorkflowId(view.id),
            context,
            cycle: view.cycle,
            ...causeOf(events, p.event),
          });
          continue;
        }
        const stillWanted = p.kind === 'warning' ? () => warningStillDue(view, p.event) : undefined;
        const outcome = await deliverOnce(message, { barrierId: view.id }, stillWanted, attempt);
        if (outcome === 'rejected') {
          const entry = await log.findById(p.key).lean();
          rejected.push({ to: p.to, kind: p.kind, reason: entry?.error ?? 'refused' });
        }
      }
    });
    if (toHold.length === 0) return { rejected };
    return { rejected, held: await holdMessages(models, toHold, windowMs) };
  }

  /**
   * A warning goes only before the deadline it warns about, and while its clock
   * still runs at the same stage and cycle: a send delayed past the deadline (an
   * SMTP outage, say) is dropped, never delivered after the breach it foretold.
   */
  async function warningStillDue(view: BarrierView, event: TimelineEvent): Promise<boolean> {
    const dueAt = event.details.dueAt;
    if (typeof dueAt === 'number' && Date.now() >= dueAt) return false;
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

  return sendBarrierEmails;
}
