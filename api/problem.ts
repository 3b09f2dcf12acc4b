/**
 * Errors as RFC 9457 problem details. Routers throw these; one middleware
 * writes them as application/problem+json.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import type { Logger } from './logger.ts';

/** One field-level problem in a request. */
export interface FieldProblem {
  /** Where: `body.title`, `query.limit`, `path.id`, `header.idempotency-key`. */
  field: string;
  reason: string;
}

/** An HTTP error with a problem+json body. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: { errors?: FieldProblem[]; type?: string; [k: string]: unknown } = {},
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors: FieldProblem[] = []) =>
  new HttpProblem(400, 'Your request has problems', detail, { errors, type: 'validation' });
export const unauthorized = (detail: string) =>
  new HttpProblem(401, 'Sign in required', detail, { type: 'unauthorized' });
export const forbidden = (detail: string) =>
  new HttpProblem(403, 'Not allowed', detail, { type: 'forbidden' });
export const notFound = (detail: string) =>
  new HttpProblem(404, 'Not found', detail, { type: 'not-found' });
export const conflict = (detail: string) =>
  new HttpProblem(409, 'Conflict', detail, { type: 'conflict' });
export const unprocessable = (detail: string) =>
  new HttpProblem(422, 'That action is not allowed now', detail, { type: 'action-rejected' });
export const unavailable = (dependency: string, detail: string) =>
  new HttpProblem(503, 'A service Golden Thread depends on is unavailable', detail, {
    type: 'dependency-unavailable',
    dependency,
  });

/** Turns zod issues into field problems under `where` (body, query, path). */
export function fieldProblems(where: string, error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [where, ...issue.path.map(String)].join('.');
    if (keys.length > 0) {
      return {
        field: `${path}.${keys.join(',')}`,
        reason: `is not a field this request takes (unknown fields are rejected)`,
      };
    }
    // Rephrase zod's own defaults; messages our schemas set are already in our voice.
    if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      if (/received undefined/.test(issue.message)) return { field: path, reason: 'is required' };
      return {
        field: path,
        reason: `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`,
      };
    }
    return { field: path, reason: issue.message };
  });
}

/** Parses `value` with `schema`, or throws a 400 naming every bad field. */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = fieldProblems(where, result.error);
    throw badRequest(errors.map((e) => `${e.field} ${e.reason}`).join('; '), errors);
  }
  return result.data;
}

const TYPE_BASE = 'https://golden-thread.example.org/problems/';

/** Writes a problem+json response. */
export function sendProblem(
  res: Parameters<RequestHandler>[1],
  p: HttpProblem,
  instance?: string,
): void {
  const { type, ...extra } = p.extra;
  res
    .status(p.status)
    .type('application/problem+json')
    .json({
      type: `${TYPE_BASE}${type ?? 'error'}`,
      title: p.title,
      status: p.status,
      detail: p.detail,
      instance,
      ...extra,
    });
}

/** The error middleware: every error becomes problem+json; only the unexpected are logged. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const known = toHttpProblem(err);
    if (known) {
      sendProblem(res, known, req.originalUrl);
      return;
    }
    logger.error('unhandled error', {
      method: req.method,
      path: req.path,
      error: err instanceof Error ? err.stack : String(err),
    });
    sendProblem(
      res,
      new HttpProblem(
        500,
        'Something went wrong',
        'An unexpected error occurred; it has been logged.',
      ),
      req.originalUrl,
    );
  };
}

/** Maps errors from body parsing and dependencies to problems; undefined for the unexpected. */
function toHttpProblem(err: unknown): HttpProblem | undefined {
  if (err instanceof HttpProblem) return err;
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { type?: string; status?: number; name?: string; message?: string };
  if (e.type === 'entity.too.large')
    return new HttpProblem(
      413,
      'Request too large',
      'The request body is larger than this API accepts (100 kB).',
    );
  if (e.type === 'entity.parse.failed')
    return badRequest('The request body is not valid JSON.', [
      { field: 'body', reason: 'is not valid JSON' },
    ]);
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new HttpProblem(
      415,
      'Unsupported media type',
      'Send the body as UTF-8 application/json.',
    );
  }
  if (
    e.name === 'MongoServerSelectionError' ||
    e.name === 'MongoNetworkError' ||
    e.name === 'MongoNotConnectedError' ||
    e.name === 'MongoNetworkTimeoutError'
  ) {
    return unavailable('database', 'The database is not answering; try again shortly.');
  }
  if (
    e.name === 'ServiceError' ||
    e.name === 'ConnectionError' ||
    /UNAVAILABLE|DEADLINE_EXCEEDED/.test(e.message ?? '')
  ) {
    return unavailable(
      'temporal',
      'The workflow engine (Temporal) is not answering; try again shortly.',
    );
  }
  return undefined;
}
