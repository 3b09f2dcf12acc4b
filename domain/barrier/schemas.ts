/**
 * Request shapes for barriers, as zod schemas: the single source of truth for
 * API validation, OpenAPI and the workflow's update arguments (which import
 * only the inferred types, so zod never enters the workflow bundle).
 */
import { z } from 'zod';
import { BARRIER_ACTION_TYPES, type BarrierActionType } from './action-types.ts';
import {
  CATEGORIES,
  DEPARTMENT_SLUGS,
  FOCUS_AREAS,
  GM_MODEL_FEATURES,
  LOCALITIES,
  PAUSE_REASONS,
} from '../reference-data.ts';
import { isoDurationSchema, policySchema } from '../policy/policy.ts';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug such as leigh');
const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const email = z.email('must be an email address').max(254).toLowerCase();

export const evidenceSchema = z.strictObject({
  title: text(200),
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2000),
});

/** `POST /barriers` body. */
export const raiseBarrierSchema = z.strictObject({
  title: text(200),
  description: text(5000),
  locality: z.enum(LOCALITIES, { error: `must be one of ${LOCALITIES.join(', ')}` }),
  neighbourhood: slug,
  category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(', ')}` }),
  focusArea: z.enum(FOCUS_AREAS, { error: `must be one of ${FOCUS_AREAS.join(', ')}` }).optional(),
  gmModelFeature: z
    .enum(GM_MODEL_FEATURES, { error: `must be one of ${GM_MODEL_FEATURES.join(', ')}` })
    .optional(),
  peopleAffected: z.number().int('must be a whole number').min(0).max(10_000_000).optional(),
  evidence: z.array(evidenceSchema).max(20).default([]),
});
export type RaiseBarrier = z.output<typeof raiseBarrierSchema>;

const reason = text(2000);

export const barrierIdPattern = /^GT-\d{4,}$/;
export const askIdPattern = /^ASK-\d{4,}$/;
/** A barrier reference (GT-0042): in paths, bodies and pages alike. */
export const barrierIdSchema = z
  .string()
  .regex(barrierIdPattern, 'must be a barrier reference such as GT-0042');
/** A Whitehall ask reference (ASK-0007). */
export const askIdSchema = z
  .string()
  .regex(askIdPattern, 'must be an ask reference such as ASK-0007');
const barrierId = barrierIdSchema;
const askId = askIdSchema;
const isoDuration = isoDurationSchema;

/** The draft of a new Whitehall ask. */
export const askDraftSchema = z.strictObject({
  title: text(200),
  department: z.enum(DEPARTMENT_SLUGS as [string, ...string[]], {
    error: `must be one of ${DEPARTMENT_SLUGS.join(', ')}`,
  }),
  ask: text(5000),
});

/** `POST /asks` body. */
export const newAskSchema = askDraftSchema.extend({
  barrierIds: z
    .array(barrierId)
    .min(1, 'must bundle at least one barrier')
    .max(50, 'must bundle at most 50 barriers')
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a barrier')
    .meta({ uniqueItems: true }),
});
export type NewAsk = z.output<typeof newAskSchema>;

/** `POST /barriers/:id/actions` body, discriminated by `type`. */
export const barrierActionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('acknowledge'), note: text(2000).optional() }),
    z.strictObject({ type: z.literal('comment'), text: text(5000) }),
    z.strictObject({
      type: z.literal('request-info'),
      reason: z.enum(PAUSE_REASONS, { error: `must be one of ${PAUSE_REASONS.join(', ')}` }),
      question: text(2000),
    }),
    z.strictObject({ type: z.literal('provide-info'), response: text(5000) }),
    z.strictObject({ type: z.literal('reassign'), to: email, reason: reason.optional() }),
    z.strictObject({ type: z.literal('escalate'), reason }),
    z.strictObject({ type: z.literal('resolve'), resolution: text(5000) }),
    z.strictObject({ type: z.literal('withdraw'), reason }),
    z.strictObject({ type: z.literal('reopen'), reason }),
    z.strictObject({
      type: z.literal('migrate-policy'),
      policyVersion: z.number().int().min(1),
      policyId: z.string().optional(),
    }),
    z.strictObject({ type: z.literal('accept'), owner: email, resolveTarget: isoDuration }),
    z.strictObject({ type: z.literal('return'), reason }),
    z.strictObject({ type: z.literal('merge'), into: barrierId, reason: reason.optional() }),
    z.strictObject({ type: z.literal('link'), with: barrierId }),
    z
      .strictObject({
        type: z.literal('promote'),
        askId: askId.optional(),
        ask: askDraftSchema.optional(),
      })
      .refine((v) => (v.askId === undefined) !== (v.ask === undefined), {
        message:
          'promote needs either askId (an existing draft ask) or ask (title, department, ask)',
        path: ['askId'],
      }),
  ],
  { error: `must be one of ${BARRIER_ACTION_TYPES.join(', ')}` },
);
export type BarrierActionRequest = z.output<typeof barrierActionSchema>;
// The schema and the list of names must agree, both ways.
type SchemaActionType = BarrierActionRequest['type'];
const sameActionTypes: [SchemaActionType, BarrierActionType] extends [
  BarrierActionType,
  SchemaActionType,
]
  ? true
  : never = true;
void sameActionTypes;

export {
  BARRIER_ACTION_TYPES,
  TRIAGE_ACTION_TYPES,
  type BarrierActionType,
} from './action-types.ts';

/** A person the workflow assigns work to. */
export const personRefSchema = z.strictObject({ email, name: text(200) });
export type PersonRef = z.output<typeof personRefSchema>;

/** New policy version for `POST /policies`. */
export const newPolicySchema = policySchema;
