/**
 * A barrier's public shape as the API declares it: the resource schema (and
 * so the OpenAPI document). The shape itself is made in one place,
 * domain/barrier/public-shape.ts, which the API, the CSV export and webhooks
 * all send, so a field cannot mean one thing in JSON, another in a
 * spreadsheet and a third to a subscriber.
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
import { publicBarrierShape } from '../domain/barrier/public-shape.ts';
import type { BarrierDoc, TimelineDoc } from './read-model.ts';

/** An instant as the public shape gives it. */
export const instant = z.iso.datetime().describe('An ISO 8601 instant in UTC.');
const when = instant.nullable();
export const barrierId = z.string().regex(barrierIdPattern);
export const askId = z.string().regex(askIdPattern);
export const count = z.int().min(0);

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
 * A stored barrier (and its timeline, on single reads) in its public shape
 * (domain/barrier/public-shape.ts, which webhooks carry too); the API checks
 * it against {@link publicBarrierSchema} before sending.
 */
export const publicBarrier = (b: BarrierDoc & { _id: string }, timeline?: TimelineDoc[]) =>
  publicBarrierShape(b, timeline);

export type { PublicBarrier } from '../domain/barrier/public-shape.ts';
