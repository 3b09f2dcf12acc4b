/**
 * Sends a representation. Outside production each answer is first checked
 * against the resource schema the OpenAPI document is generated from, so a
 * representation that drifts from the document fails loudly in development
 * and tests; production sends without the check.
 */
import type { Response } from 'express';
import type { z } from 'zod';

export function sendResource(res: Response, schema: z.ZodType, body: unknown, status = 200): void {
  if (res.locals.checkResponses === true) {
    const checked = schema.safeParse(body);
    if (!checked.success)
      throw new Error(
        `the response to ${res.req.method} ${res.req.originalUrl} does not match its schema: ${checked.error.message}`,
      );
  }
  res.status(status).json(body);
}
