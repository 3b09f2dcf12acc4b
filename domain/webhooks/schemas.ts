/** Request shapes for webhook subscriptions (API validation, the admin page and OpenAPI). */
import { z } from 'zod';
import { LOCALITIES } from '../reference-data.ts';
import { WEBHOOK_EVENT_TYPES } from './events.ts';

export const webhookIdPattern = /^WH-[0-9A-F]{8}$/;
export const deliveryIdPattern = /^msg_[A-Za-z0-9_-]{27}$/;

export const webhookIdSchema = z.string().regex(webhookIdPattern, 'must be like WH-0A1B2C3D');
export const deliveryIdSchema = z
  .string()
  .regex(deliveryIdPattern, 'must be a webhook-id such as msg_…');

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine((v) => !/\p{Cc}/u.test(v), 'must not hold control characters');
const url = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2000, 'must be at most 2,000 characters');
const eventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` }))
  .min(1, 'must name at least one event type')
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((a) => new Set(a).size === a.length, 'must not name an event type twice');
const locality = z
  .enum(LOCALITIES, { error: `must be one of ${LOCALITIES.join(', ')}` })
  .nullable()
  .describe('Only events of barriers in this locality (and asks bundling one); null: all.');

export const newWebhookSchema = z.strictObject({
  name,
  url: url.describe(
    'Where deliveries are POSTed: https (plain http and private addresses only where configuration allows).',
  ),
  eventTypes,
  locality: locality.optional(),
});
export type NewWebhook = z.output<typeof newWebhookSchema>;

export const webhookChangeSchema = z
  .strictObject({
    name: name.optional(),
    url: url.optional(),
    eventTypes: eventTypes.optional(),
    locality: locality.optional(),
  })
  .refine(
    (v) => Object.keys(v).length > 0,
    'must change at least one of name, url, eventTypes, locality',
  )
  .meta({ minProperties: 1 });
export type WebhookChange = z.output<typeof webhookChangeSchema>;

export const WEBHOOK_MISSED_CHOICES = ['deliver', 'drop'] as const;
export const webhookResumeSchema = z.strictObject({
  missed: z
    .enum(WEBHOOK_MISSED_CHOICES, { error: 'must be deliver or drop' })
    .describe(
      'What happens to the events recorded while it was paused or disabled: sent in order, or dropped.',
    ),
});

export const webhookPauseSchema = z.strictObject({
  reason: z.string().trim().max(500, 'must be at most 500 characters').optional(),
});

export const deliveriesQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .optional(),
  status: z
    .enum(['pending', 'delivered', 'dropped'], { error: 'must be pending, delivered or dropped' })
    .optional(),
});
