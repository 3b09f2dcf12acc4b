/**
 * A barrier's public shape: the one definition of what a barrier is to
 * anyone outside the read model. The API's resource schema (and so the
 * OpenAPI document) is this schema, the API sends {@link publicBarrier}'s
 * answer, and the CSV export's columns read the same object, so a field
 * cannot mean one thing in JSON and another in a spreadsheet.
 */
import { z } from 'zod';
import { BARRIER_STATUSES, TIMELINE_EVENT_TYPES } from '../domain/barrier/types.ts';
import { askIdPattern, barrierIdPattern } from '../domain/barrier/schemas.ts';
import { CALENDARS } from '../domain/calendar/working-time.ts';
import {
  CATEGORIES,
  FOCUS_AREAS,
  GM_MODEL_FEATURES,
  LOCALITIES,
  PAUSE_REASONS,
  STAGES,
} from '../domain/reference-data.ts';
import { deadlinesBeyondData } from './barriers.ts';
import type { BarrierDoc, TimelineDoc } from './read-model.ts';

/** An instant as the public shape gives it. */
export const instant = z.iso.datetime().describe('An ISO 8601 instant in UTC.');
const when = instant.nullable();
export const barrierId = z.string().regex(barrierIdPattern);
export const askId = z.string().regex(askIdPattern);
export const count = z.int().min(0);

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const publicTimelineEventSchema = z.strictObject({
  barrierId,
  seq: z.int().min(1),
  at: instant,
  type: z.enum(TIMELINE_EVENT_TYPES),
  stage: z.enum(STAGES),
  actor: z.string().describe('An email, or `system`.'),
  details: z.record(z.string(), z.unknown()),
});

export const publicBarrierSchema = z.strictObject({
  id: barrierId,
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  locality: z.enum(LOCALITIES),
  neighbourhood: z.string(),
  category: z.enum(CATEGORIES),
  focusArea: z.enum(FOCUS_AREAS).nullable(),
  gmModelFeature: z.enum(GM_MODEL_FEATURES).nullable(),
  peopleAffected: count.nullable(),
  evidence: z.array(z.strictObject({ title: z.string(), url: z.string() })),
  raisedBy: z.string(),
  raisedAt: instant,
  stage: z.enum(STAGES),
  status: z.enum(BARRIER_STATUSES),
  cycle: z.int().min(1),
  owner: z.strictObject({ email: z.string(), name: z.string(), reason: z.string() }).nullable(),
  acknowledged: z.boolean(),
  policyVersion: z.strictObject({ id: z.string(), version: z.int().min(1) }),
  sla: z.strictObject({
    stage: z.enum(STAGES),
    calendar: z.enum(CALENDARS),
    acknowledgeDueAt: when,
    resolveDueAt: when,
    paused: z.boolean(),
    pauseReason: z.enum(PAUSE_REASONS).nullable(),
    breached: z.boolean(),
    atRisk: z.boolean(),
    nextDeadlineAt: when,
    overdueSince: when,
    beyondBankHolidayData: z
      .boolean()
      .describe(
        'A due instant lies after the last year of the bank-holiday data, so it may be early (working-hours calendar only).',
      ),
  }),
  closedAt: when,
  reopenUntil: when,
  resolution: z.string().nullable(),
  raisers: z.array(z.string()),
  mergedInto: barrierId.nullable(),
  mergedFrom: z.array(barrierId),
  links: z.array(barrierId),
  askId: askId.nullable(),
  timeline: z
    .array(publicTimelineEventSchema)
    .optional()
    .describe('On single reads and after actions: every event, merged barriers’ included.'),
});

/**
 * A stored barrier (and its timeline, on single reads) in its public shape;
 * the API checks it against {@link publicBarrierSchema} before sending.
 */
export function publicBarrier(b: BarrierDoc & { _id: string }, timeline?: TimelineDoc[]) {
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
    raisers: b.raisers?.length ? b.raisers : [b.raisedBy],
    mergedInto: b.mergedInto ?? null,
    mergedFrom: b.mergedFrom ?? [],
    links: b.links ?? [],
    askId: b.askId ?? null,
    ...(timeline
      ? {
          // getTimeline reads up to the document's lastSeq: a consistent snapshot.
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
export type PublicBarrier = ReturnType<typeof publicBarrier>;
