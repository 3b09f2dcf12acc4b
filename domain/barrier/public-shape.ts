/**
 * A barrier's public shape: what a barrier is to anyone outside the read
 * model, made from its read-model document. The API sends it (its schema is
 * services/public-barrier.ts, and so the OpenAPI document), the CSV export's
 * columns read it, and a webhook carries it, so a field cannot mean one thing
 * in JSON, another in a spreadsheet and a third to a subscriber. Here, in the
 * domain, because the worker (webhooks) may not import services.
 */
import { beyondBankHolidayData } from '../calendar/working-time.ts';

/** An instant a read-model document may hold, or not. */
export type When = Date | null | undefined;
/** An instant as the public shapes give it: ISO 8601 in UTC, or null. */
export const iso = (d: When) => (d ? d.toISOString() : null);

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

/** A timeline event's read-model document, as far as the public shape reads it. */
export interface TimelineSource {
  barrierId: string;
  seq: number;
  at: Date;
  type: string;
  stage: string;
  actor: string;
  details?: unknown;
}

/** True when a working-time due instant falls after the bank-holiday data's last year. */
export const deadlinesBeyondData = (b: Pick<BarrierSource, 'sla'>): boolean =>
  b.sla.calendar !== '24x7' &&
  [b.sla.acknowledgeDueAt, b.sla.resolveDueAt].some((d) => beyondBankHolidayData(d?.getTime()));

/** A barrier (and its timeline, on single reads) in its public shape. */
export function publicBarrierShape(b: BarrierSource, timeline?: readonly TimelineSource[]) {
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
      beyondBankHolidayData: deadlinesBeyondData(b),
    },
    closedAt: iso(b.closedAt),
    reopenUntil: iso(b.reopenUntil),
    resolution: b.resolution ?? null,
    raisers: b.raisers?.length ? [...b.raisers] : [b.raisedBy],
    mergedInto: b.mergedInto ?? null,
    mergedFrom: [...(b.mergedFrom ?? [])],
    links: [...(b.links ?? [])],
    askId: b.askId ?? null,
    ...(timeline
      ? {
          // The caller reads the timeline up to the document's lastSeq: a consistent snapshot.
          timeline: timeline.map((e) => ({
            barrierId: e.barrierId,
            seq: e.seq,
            at: iso(e.at),
            type: e.type,
            stage: e.stage,
            actor: e.actor,
            details: e.details as Record<string, unknown>,
          })),
        }
      : {}),
  };
}

/** A barrier in its public shape. */
export type PublicBarrier = ReturnType<typeof publicBarrierShape>;
