/**
 * Sends a representation. Outside production each answer is first checked
 * against the resource schema the OpenAPI document is generated from, so a
 * representation that drifts from the document fails loudly in development
 * and tests; production sends without the check.
 */
import type { Response } from 'express';
import type { z } from 'zod';

export function sendResource(res: Response, schema: z.ZodType, body: unknown, status = 200): void {
  check(res, schema, body);
  res.status(status).json(body);
}

function check(res: Response, schema: z.ZodType, body: unknown): void {
  if (res.locals.checkResponses !== true) return;
  const checked = schema.safeParse(body);
  if (!checked.success)
    throw new Error(
      `the response to ${res.req.method} ${res.req.originalUrl} does not match its schema: ${checked.error.message}`,
    );
}

/**
 * Sends what `build` makes of `source`, built, checked and serialised once for
 * each source object: a page served from the read cache (store/read-cache.ts)
 * is the same object until the data changes, so its JSON is too. One per
 * route, since each route builds its own representation.
 */
export function sendResourceOnce<S extends object>(
  schema: z.ZodType,
  build: (source: S) => unknown,
): (res: Response, source: S) => void {
  const bodies = new WeakMap<S, string>();
  return (res, source) => {
    let body = bodies.get(source);
    if (body === undefined) {
      const value = build(source);
      check(res, schema, value);
      body = JSON.stringify(value);
      bodies.set(source, body);
    }
    res.status(200).type('application/json; charset=utf-8').send(body);
  };
}
