/**
 * What a webhook's body says: the Standard Webhooks envelope (`type`,
 * `timestamp`, `data`) around the event, the barrier or ask as the API gives
 * it to an admin (services/public-barrier.ts, api/representations.ts; a unit
 * test holds the shapes together) and a link to its page.
 */
import { beyondBankHolidayData } from '../calendar/working-time.ts';
import { departmentName } from '../reference-data.ts';
import type { WebhookEventType } from './events.ts';

type When = Date | null | undefined;
const iso = (d: When) => (d ? d.toISOString() : null);

/** A barrier's read-model document, as far as its public shape reads it. */
export interface BarrierSource {
  _id: string;
  reference: string;
  title: string;
  description: string;
  locality: string;
  neighbourhood: string;
  category: string;
  focusArea?: string | null;
  gmModelFeature?: string | null;
  peopleAffected?: number | null;
  evidence?: readonly { title?: string | null; url?: string | null }[] | null;
  raisedBy: string;
  raisedAt: Date;
  stage: string;
  status: string;
  cycle: number;
  owner?: { email?: string | null; name?: string | null; reason?: string | null } | null;
  acknowledged?: boolean | null;
  policy: { id?: string | null; version?: number | null };
  sla: {
    stage?: string | null;
    calendar?: string | null;
    acknowledgeDueAt?: When;
    resolveDueAt?: When;
    paused?: boolean | null;
    pauseReason?: string | null;
    breached?: boolean | null;
    atRisk?: boolean | null;
    nextDeadlineAt?: When;
    overdueSince?: When;
  };
  closedAt?: When;
  reopenUntil?: When;
  resolution?: string | null;
  raisers?: readonly string[] | null;
  mergedInto?: string | null;
  mergedFrom?: readonly string[] | null;
  links?: readonly string[] | null;
  askId?: string | null;
}

/** A barrier as the API returns it (without its timeline). */
export function barrierForWebhook(b: BarrierSource) {
  return {
    id: b._id,
    reference: b.reference,
    title: b.title,
    description: b.description,
    locality: b.locality,
    neighbourhood: b.neighbourhood,
    category: b.category,
    focusArea: b.focusArea ?? null,
    gmModelFeature: b.gmModelFeature ?? null,
    peopleAffected: b.peopleAffected ?? null,
    evidence: (b.evidence ?? []).map((e) => ({ title: e.title, url: e.url })),
    raisedBy: b.raisedBy,
    raisedAt: iso(b.raisedAt),
    stage: b.stage,
    status: b.status,
    cycle: b.cycle,
    owner: b.owner ? { email: b.owner.email, name: b.owner.name, reason: b.owner.reason } : null,
    acknowledged: b.acknowledged,
    policyVersion: { id: b.policy.id, version: b.policy.version },
    sla: {
      stage: b.sla.stage,
      calendar: b.sla.calendar,
      acknowledgeDueAt: iso(b.sla.acknowledgeDueAt),
      resolveDueAt: iso(b.sla.resolveDueAt),
      paused: Boolean(b.sla.paused),
      pauseReason: b.sla.pauseReason ?? null,
      breached: Boolean(b.sla.breached),
      atRisk: Boolean(b.sla.atRisk),
      nextDeadlineAt: iso(b.sla.nextDeadlineAt),
      overdueSince: iso(b.sla.overdueSince),
      beyondBankHolidayData:
        b.sla.calendar !== '24x7' &&
        [b.sla.acknowledgeDueAt, b.sla.resolveDueAt].some((d) =>
          beyondBankHolidayData(d?.getTime()),
        ),
    },
    closedAt: iso(b.closedAt),
    reopenUntil: iso(b.reopenUntil),
    resolution: b.resolution ?? null,
    raisers: b.raisers?.length ? [...b.raisers] : [b.raisedBy],
    mergedInto: b.mergedInto ?? null,
    mergedFrom: [...(b.mergedFrom ?? [])],
    links: [...(b.links ?? [])],
    askId: b.askId ?? null,
  };
}

/** An ask's read-model document, as far as its API shape reads it. */
export interface AskSource {
  _id: string;
  reference: string;
  title: string;
  department: string;
  ask: string;
  status: string;
  owner: unknown;
  createdBy: string;
  createdAt: When;
  barrierIds: readonly string[];
  submittedAt?: When;
  dueAt?: When;
  chasers?: unknown;
  nextChaseAt?: When;
  outcome?: string | null;
  response?: string | null;
  respondedAt?: When;
  evidence?: unknown;
}

/** An ask as the API returns it in a list (api/representations.ts `askResource`). */
export function askForWebhook(a: AskSource) {
  return {
    id: a._id,
    reference: a.reference,
    title: a.title,
    department: a.department,
    departmentName: departmentName(a.department),
    ask: a.ask,
    status: a.status,
    owner: a.owner,
    createdBy: a.createdBy,
    createdAt: iso(a.createdAt),
    barrierIds: [...a.barrierIds],
    submittedAt: iso(a.submittedAt),
    responseDueAt: iso(a.dueAt),
    chasers: a.chasers,
    nextChaseAt: iso(a.nextChaseAt),
    outcome: a.outcome ?? null,
    response: a.response ?? null,
    respondedAt: iso(a.respondedAt),
    evidence: a.evidence ?? null,
  };
}

/** The event as it happened. */
export interface WebhookEventFacts {
  seq: number;
  at: number;
  /** The timeline's own name for it (`info-requested`, `ask-outcome`, …). */
  kind: string;
  actor: string;
  details: Record<string, unknown>;
}

/** The body of a webhook: JSON, the same bytes on every attempt. */
export function webhookBody(
  type: WebhookEventType,
  event: WebhookEventFacts,
  subject:
    { barrier: ReturnType<typeof barrierForWebhook> } | { ask: ReturnType<typeof askForWebhook> },
  link: string,
): string {
  return JSON.stringify({
    type,
    timestamp: new Date(event.at).toISOString(),
    data: {
      event: {
        seq: event.seq,
        at: new Date(event.at).toISOString(),
        kind: event.kind,
        actor: event.actor,
        details: event.details,
      },
      ...subject,
      link,
    },
  });
}
