/**
 * Every answer carries a request id in `X-Request-Id`: the caller's own when
 * it is a sane one (a proxy's or a client's, so both ends speak of the same
 * request), else a new UUID. Every log line written while the request is
 * handled carries it, and, traced, a span of the request's trace does too
 * (`http.request.id`), so a log line leads to the trace and Jaeger finds the
 * trace by the id.
 */
import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { runWithLogContext } from '../observability/tracing/log-context.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Letters, digits and `._:-`, up to 128: enough for UUIDs, ULIDs and proxies' ids, nothing to inject into a log. */
const SANE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The request id a caller sent, when it is one we can repeat safely. */
export function acceptedRequestId(given: string | undefined): string | undefined {
  return given !== undefined && SANE.test(given) ? given : undefined;
}

export function requestId(): RequestHandler {
  return (req, res, next) => {
    const id = acceptedRequestId(req.get(REQUEST_ID_HEADER)) ?? randomUUID();
    res.set(REQUEST_ID_HEADER, id);
    trace.getActiveSpan()?.setAttribute('http.request.id', id);
    runWithLogContext({ requestId: id }, next);
  };
}
