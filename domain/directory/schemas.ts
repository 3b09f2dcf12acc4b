/** Request shapes for the directory and personal preferences (API validation and OpenAPI). */
import { z } from 'zod';
import { DELIVERY_PREFERENCES } from '../notifications/messages.ts';
import { CATEGORIES, LOCALITIES, ROLES } from '../reference-data.ts';

const email = z.email('must be an email address').toLowerCase();

/** A person's id in the directory: their email, lowercased. */
export const personEmailSchema = email;

export const localitySlugSchema = z.enum(LOCALITIES, {
  error: `must be one of ${LOCALITIES.join(', ')}`,
});
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug');

export const neighbourhoodAssignmentsSchema = z
  .strictObject({ lead: email.nullable().optional(), deputy: email.nullable().optional() })
  .refine((v) => v.lead !== undefined || v.deputy !== undefined, 'must set lead, deputy or both')
  .meta({ minProperties: 1 });
export type NeighbourhoodAssignments = z.output<typeof neighbourhoodAssignmentsSchema>;

export const localityAssignmentsSchema = z
  .strictObject({
    leads: z.array(email).min(1, 'must name at least one locality lead').max(10).optional(),
    specialists: z
      .array(
        z.strictObject({
          category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(', ')}` }),
          email,
        }),
      )
      .max(20)
      .optional(),
  })
  .refine(
    (v) => v.leads !== undefined || v.specialists !== undefined,
    'must set leads, specialists or both',
  )
  .meta({ minProperties: 1 });
export type LocalityAssignments = z.output<typeof localityAssignmentsSchema>;

export const PERSON_KINDS = ['person', 'service'] as const;

export const personSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    roles: z
      .array(z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }))
      .max(4)
      .refine((r) => new Set(r).size === r.length, 'must not repeat a role')
      .default([]),
    locality: localitySlugSchema.nullable().default(null),
    neighbourhood: slugSchema.nullable().default(null),
    available: z.boolean().default(true),
    kind: z.enum(PERSON_KINDS, { error: 'must be person or service' }).default('person'),
    clientId: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'must be printable characters without spaces')
      .nullable()
      .default(null),
  })
  .superRefine((p, ctx) => {
    const lead = p.roles.includes('locality-lead') || p.roles.includes('neighbourhood-lead');
    if (lead && !p.locality)
      ctx.addIssue({ code: 'custom', path: ['locality'], message: 'must be set for a lead' });
    if (p.roles.includes('neighbourhood-lead') && !p.neighbourhood)
      ctx.addIssue({
        code: 'custom',
        path: ['neighbourhood'],
        message: 'must be set for a neighbourhood lead',
      });
    if (p.kind === 'service' && !p.clientId)
      ctx.addIssue({
        code: 'custom',
        path: ['clientId'],
        message: 'must be set for a service (the client id its tokens carry)',
      });
    if (p.kind === 'person' && p.clientId)
      ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'is for services only' });
  });
export type PersonInput = z.output<typeof personSchema>;

export const preferencesSchema = z.strictObject({
  delivery: z.enum(DELIVERY_PREFERENCES, {
    error: `must be one of ${DELIVERY_PREFERENCES.join(', ')}`,
  }),
});
export type Preferences = z.output<typeof preferencesSchema>;
