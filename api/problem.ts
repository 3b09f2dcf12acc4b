/**
 * Errors as RFC 9457 problem details. Use cases throw ServiceErrors and the
 * API's own checks throw HttpProblems; one middleware writes both as
 * application/problem+json.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  InvalidInput,
  isServiceError,
  requestErrorStatus,
  unavailableDependency,
  type FieldProblem,
  type ServiceErrorKind,
} from '../services/errors.ts';
import { MAX_IMPORT_SIZE } from '../services/imports.ts';
import type { Logger } from '../services/logger.ts';

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

/** How each refusal of a use case is answered. */
const FOR_KIND: Record<ServiceErrorKind, (detail: string) => HttpProblem> = {
  invalid: (detail) => badRequest(detail),
  forbidden,
  'not-found': notFound,
  conflict,
  rejected: unprocessable,
};
export const unavailable = (dependency: string, detail: string) =>
  new HttpProblem(503, 'A service Golden Thread depends on is unavailable', detail, {
    type: 'dependency-unavailable',
    dependency,
  });

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

/** Maps refusals, body-parsing errors and outages to problems; undefined for the unexpected. */
export function toHttpProblem(err: unknown): HttpProblem | undefined {
  if (err instanceof HttpProblem) return err;
  if (err instanceof InvalidInput) return badRequest(err.detail, err.errors);
  if (isServiceError(err)) return FOR_KIND[err.kind](err.detail);
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { type?: string };
  if (e.type === 'entity.too.large')
    return new HttpProblem(
      413,
      'Request too large',
      `The request body is larger than this API accepts (100 kB; ${MAX_IMPORT_SIZE} for an import file).`,
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
  // Express and its body parsers mark a request they cannot read (a malformed
  // percent-encoding in the path, say) with a 4xx status: keep it.
  const status = requestErrorStatus(err);
  if (status !== undefined)
    return new HttpProblem(
      status,
      'Your request could not be read',
      'Golden Thread could not read this request; check its path, headers and body.',
      { type: 'bad-request' },
    );
  const down = unavailableDependency(err);
  if (down === 'database')
    return unavailable('database', 'The database is not answering; try again shortly.');
  if (down === 'sign-in provider')
    return unavailable(
      'sign-in provider',
      'The sign-in provider is not answering, so the token cannot be checked; try again shortly.',
    );
  if (down === 'temporal') {
    return unavailable(
      'temporal',
      'The workflow engine (Temporal) is not answering; try again shortly.',
    );
  }
  return undefined;
}
