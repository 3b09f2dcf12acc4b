/**
 * Request shapes for barriers, as zod schemas: the single source of truth for
 * API validation, OpenAPI and the workflow's update arguments (which import
 * only the inferred types, so zod never enters the workflow bundle).
 */
import { z } from 'zod';
import {
  CATEGORIES,
  FOCUS_AREAS,
  GM_MODEL_FEATURES,
  LOCALITIES,
  PAUSE_REASONS,
} from '../reference-data.ts';
import { policySchema } from '../policy/policy.ts';

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
  ],
  {
    error:
      'must be one of acknowledge, comment, request-info, provide-info, reassign, escalate, resolve, withdraw, reopen, migrate-policy',
  },
);
export type BarrierActionRequest = z.output<typeof barrierActionSchema>;
export type BarrierActionType = BarrierActionRequest['type'];

export const BARRIER_ACTION_TYPES: readonly BarrierActionType[] = [
  'acknowledge',
  'comment',
  'request-info',
  'provide-info',
  'reassign',
  'escalate',
  'resolve',
  'withdraw',
  'reopen',
  'migrate-policy',
];

/** A person the workflow assigns work to. */
export const personRefSchema = z.strictObject({ email, name: text(200) });
export type PersonRef = z.output<typeof personRefSchema>;

/** New policy version for `POST /policies`. */
export const newPolicySchema = policySchema;
