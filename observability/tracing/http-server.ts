/**
 * A span for each request the site and the API answer, named by the route
 * that answered it as the metrics label it (`GET /api/v1/barriers/:id`), and
 * the request's work (its Temporal calls, its database calls) under it.
 *
 * OpenTelemetry's HTTP instrumentation made these spans until the benchmark
 * showed what they cost a list read served from memory: it reads some twenty
 * attributes of every request and answer twice over (once for spans, once for
 * metrics nobody collects) and rebinds every listener added to the request and
 * the answer, about a third of a millisecond a request on the bench's machine
 * (bench/README.md). This middleware makes the same span, in the stable
 * semantic conventions, with what an operator reads: the method, the route,
 * the path without its query (a query can hold search words or a sign-in's
 * code), the status, and the caller's trace when it sends `traceparent`.
 * Outgoing requests (webhooks, the sign-in provider) keep the instrumentation.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { UNMATCHED_ROUTE, routeTemplate } from '../metrics/http.ts';

/** Probes and assets are noise beside the requests people make: no span. */
export const UNTRACED_PATHS = /^\/(healthz|readyz|assets\/|favicon)/;

export function httpServerSpans(): RequestHandler {
  const tracer = trace.getTracer('golden-thread-http');
  return (req, res, next) => {
    if (UNTRACED_PATHS.test(req.path)) return next();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'url.path': req.path,
          'url.scheme': req.protocol,
          'server.address': req.hostname,
          'network.peer.address': req.socket.remoteAddress ?? '',
          'user_agent.original': req.get('user-agent') ?? '',
        },
      },
      parent,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = routeTemplate(req);
      if (route !== UNMATCHED_ROUTE) {
        span.setAttribute('http.route', route);
        span.updateName(`${req.method} ${route}`);
      }
      if (res.writableFinished) {
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      } else {
        // The caller went away before the answer was sent.
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection closed early' });
      }
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}
