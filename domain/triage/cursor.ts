/**
 * The triage queue's page cursor: the last item's place in the urgency order,
 * as opaque base64url JSON. Decoding checks every field, so a cursor that is
 * not one the queue gave is a 400 naming `cursor`, never a wrong page.
 */
import { z } from 'zod';
import type { UrgencyKey } from './triage.ts';

const urgencyKeySchema = z.strictObject({
  id: z.string().max(100),
  breached: z.boolean(),
  nextDeadlineAt: z.number().finite().nullable(),
  peopleAffected: z.int().nullable(),
  localities: z.int().min(1),
});

export function encodeTriageCursor(key: UrgencyKey): string {
  const { id, breached, nextDeadlineAt, peopleAffected, localities } = key;
  return Buffer.from(
    JSON.stringify({ id, breached, nextDeadlineAt, peopleAffected, localities }),
  ).toString('base64url');
}

/** A query-string cursor, decoded; an issue on `cursor` when it is not one of ours. */
export const triageCursorSchema = z
  .string()
  .max(500, 'must be at most 500 characters')
  .transform((raw, ctx): UrgencyKey => {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      json = undefined;
    }
    const key = urgencyKeySchema.safeParse(json);
    if (key.success) return key.data;
    ctx.addIssue({ code: 'custom', message: 'must be a nextCursor the triage queue gave' });
    return z.NEVER;
  });
