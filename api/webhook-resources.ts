/** What the webhook endpoints send (and the OpenAPI document says they send). */
import { z } from 'zod';
import { LOCALITIES } from '../domain/reference-data.ts';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhooks/events.ts';
import { deliveryIdPattern, webhookIdPattern } from '../domain/webhooks/schemas.ts';
import { instant } from '../services/public-barrier.ts';

export const webhookResource = z.strictObject({
  id: z.string().regex(webhookIdPattern),
  name: z.string(),
  url: z.string(),
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  locality: z.enum(LOCALITIES).nullable(),
  status: z
    .enum(['active', 'paused', 'disabled'])
    .describe('`disabled`: turned off after a run of failed deliveries (`statusReason` says why).'),
  statusReason: z.string().nullable(),
  statusChangedAt: instant.nullable(),
  secrets: z
    .array(
      z.strictObject({
        id: z.string(),
        createdAt: instant,
        expiresAt: instant
          .nullable()
          .describe('A rotated-out secret signs until then; null: the current secret.'),
      }),
    )
    .describe('The secrets that sign deliveries now (never their values).'),
  failures: z.int().min(0).describe('Failed attempts in a row.'),
  failingSince: instant.nullable(),
  lastDeliveredAt: instant.nullable(),
  createdAt: instant,
  createdBy: z.string(),
  updatedAt: instant,
});

export const webhookListResource = z.strictObject({ items: z.array(webhookResource) });

export const webhookWithSecretResource = z.strictObject({
  webhook: webhookResource,
  secret: z
    .string()
    .startsWith('whsec_')
    .describe('The signing secret, shown this once: store it with the receiver.'),
});

export const deliveryResource = z.strictObject({
  id: z.string().regex(deliveryIdPattern).describe('The `webhook-id` every attempt carries.'),
  eventId: z.string(),
  eventType: z.enum(WEBHOOK_EVENT_TYPES),
  subjectId: z.string(),
  seq: z.int().min(1),
  createdAt: instant,
  status: z.enum(['pending', 'delivered', 'dropped']),
  attempts: z.int().min(0).describe('Attempts begun, one cut short by a crash included.'),
  deliveredAt: instant.nullable(),
  redeliveries: z.int().min(0),
  log: z.array(
    z.strictObject({
      at: instant,
      status: z.int().nullable().describe('The response status; null when none came.'),
      durationMs: z.number().min(0),
      error: z.string().nullable(),
      response: z.string().nullable().describe('The start of the response body.'),
    }),
  ),
});

export const deliveryListResource = z.strictObject({ items: z.array(deliveryResource) });
