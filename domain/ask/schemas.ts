/** Request shapes for Whitehall asks (API validation and OpenAPI). */
import { z } from 'zod';
import { searchQuerySchema } from '../search.ts';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
import { barrierIdSchema as barrierId } from '../barrier/schemas.ts';

/** `POST /asks/:id/actions` body, discriminated by `type`. */
export const askActionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('add-barrier'), barrierId }),
    z.strictObject({ type: z.literal('remove-barrier'), barrierId }),
    z.strictObject({ type: z.literal('submit') }),
    z.strictObject({ type: z.literal('chase'), note: text(2000).optional() }),
    z.strictObject({
      type: z.literal('record-response'),
      outcome: z.enum(['agreed', 'partially-agreed', 'declined'], {
        error: 'must be one of agreed, partially-agreed, declined',
      }),
      response: text(10_000),
    }),
    z.strictObject({ type: z.literal('withdraw'), reason: text(2000) }),
  ],
  {
    error: 'must be one of add-barrier, remove-barrier, submit, chase, record-response, withdraw',
  },
);
export type AskActionRequest = z.output<typeof askActionSchema>;

/** `GET /asks` query. */
export const listAsksQuerySchema = z.strictObject({
  q: searchQuerySchema.optional(),
  department: z.string().max(40).optional(),
  status: z
    .enum(['draft', 'submitted', 'answered', 'withdrawn'], {
      error: 'must be one of draft, submitted, answered, withdrawn',
    })
    .optional(),
  outcome: z
    .enum(['agreed', 'partially-agreed', 'declined', 'no-response'], {
      error: 'must be one of agreed, partially-agreed, declined, no-response',
    })
    .optional(),
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
});

/** `PUT /asks/:id/publication` body: publish the ask exactly as the preview tagged `previewTag` showed it. */
export const publishAskSchema = z.strictObject({
  previewTag: z
    .string({ error: 'must be the previewTag of the preview you read' })
    .regex(/^[\w-]{16,64}$/, 'must be the previewTag of the preview you read')
    .describe(
      'The `previewTag` of the preview you read: the ask is published only if neither it nor its barriers have changed since (409 otherwise).',
    ),
});
