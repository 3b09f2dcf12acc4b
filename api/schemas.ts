/** zod schemas for query strings, path parameters and headers (bodies live in domain/). */
import { z } from 'zod';
import { BARRIER_STATUSES } from '../domain/barrier/types.ts';
export { askIdSchema, barrierIdSchema } from '../domain/barrier/schemas.ts';
import { CATEGORIES, FOCUS_AREAS, LOCALITIES, STAGES } from '../domain/reference-data.ts';
import { searchQuerySchema } from '../domain/search.ts';
import { IMPORT_FILENAME, importIdPattern } from '../domain/import/barrier-import.ts';
import { triageCursorSchema } from '../domain/triage/cursor.ts';

const boolString = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((v) => v === 'true');

/** `limit`: how many items a page holds, 1–100. */
const pageLimit = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(fallback);

export const listBarriersQuerySchema = z.strictObject({
  q: searchQuerySchema.optional(),
  locality: z.enum(LOCALITIES, { error: `must be one of ${LOCALITIES.join(', ')}` }).optional(),
  neighbourhood: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/, 'must be a neighbourhood slug')
    .optional(),
  stage: z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` }).optional(),
  status: z
    .enum(BARRIER_STATUSES, { error: `must be one of ${BARRIER_STATUSES.join(', ')}` })
    .optional(),
  category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(', ')}` }).optional(),
  owner: z.email('must be an email address').toLowerCase().optional(),
  breached: boolString.optional(),
  atRisk: boolString.optional(),
  sort: z
    .enum(['nextDeadline', 'raisedAt'], { error: 'must be nextDeadline or raisedAt' })
    .default('nextDeadline'),
  limit: pageLimit(25),
  cursor: z.string().max(500).optional(),
  format: z
    .enum(['json', 'csv'], { error: 'must be json or csv' })
    .default('json')
    .describe(
      '`csv`: every matching barrier you may see (not a page; limit and cursor do not apply)',
    ),
});

export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1–200 visible ASCII characters')
  .optional();

export const triageQuerySchema = z.strictObject({
  locality: z.enum(LOCALITIES, { error: `must be one of ${LOCALITIES.join(', ')}` }).optional(),
  category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(', ')}` }).optional(),
  focusArea: z.enum(FOCUS_AREAS, { error: `must be one of ${FOCUS_AREAS.join(', ')}` }).optional(),
  limit: pageLimit(25),
  cursor: triageCursorSchema.optional(),
});

/** `POST /imports?filename=`: the file's name as the timeline will record it. */
export const importFilenameSchema = z.strictObject({
  filename: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(IMPORT_FILENAME.maxLength, `must be at most ${IMPORT_FILENAME.maxLength} characters`)
    .regex(IMPORT_FILENAME.pattern, 'must be a file name, without slashes or control characters')
    .default(IMPORT_FILENAME.fallback),
});

export const importIdSchema = z
  .string()
  .regex(importIdPattern, 'must be an import reference such as IMP-0001');

/** `POST /policies/moves`: move the open barriers of one version of a policy onto another. */
export const policyMoveSchema = z.strictObject({
  policyId: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'must be a policy id such as default')
    .optional()
    .describe('The policy; the default policy when left out.'),
  from: z
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .describe('The version the barriers are on.'),
  to: z
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .describe('The version to move them onto.'),
});

/** A policy move's id, `MOVE-` and a UUID. */
export const policyMoveIdSchema = z
  .string()
  .regex(
    /^MOVE-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'must be a policy move id such as MOVE-3f2c…',
  );
