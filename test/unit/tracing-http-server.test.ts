/**
 * The span each answered request gets (observability/tracing/http-server.ts):
 * what an operator reads in Jaeger for a slow or failed request, joined to the
 * caller's trace, and nothing from the query string, where search words and a
 * sign-in's code travel.
 */
import express from 'express';
import request from 'supertest';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpServerSpans } from '../../observability/tracing/http-server.ts';
import { requestId } from '../../server/request-id.ts';
import { outgoingSpanAttributes } from '../../observability/tracing/tracing.ts';

const spans = new InMemorySpanExporter();

beforeAll(() => {
  new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).register();
});
afterAll(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});
beforeEach(() => spans.reset());

/** An app as server/app.ts composes it: spans first, then the request id, then routers. */
function app() {
  const a = express();
  a.use(httpServerSpans());
  a.use(requestId());
  a.get('/healthz', (_req, res) => {
    res.send('ok');
  });
  const api = express.Router();
  api.get('/barriers/:id', async (req, res) => {
    // The request's own work runs under its span (a database call's span would be its child).
    await new Promise((r) => setTimeout(r, 1));
    res.json({ id: req.params.id, active: trace.getActiveSpan()?.spanContext().spanId });
  });
  api.get('/broken', () => {
    throw new Error('the read model went away');
  });
  a.use('/api/v1', api);
  return a;
}

const only = () => {
  const finished = spans.getFinishedSpans();
  expect(finished).toHaveLength(1);
  return finished[0]!;
};

describe('a span for each request', () => {
  it('is named by the route that answered, with the path but never the query', async () => {
    const res = await request(app())
      .get('/api/v1/barriers/GT-0042?q=housing%20benefit&code=secret-code')
      .set('X-Request-Id', 'complaint-17');
    expect(res.status).toBe(200);
    const span = only();
    expect(span.name).toBe('GET /api/v1/barriers/:id');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/api/v1/barriers/:id',
      'url.path': '/api/v1/barriers/GT-0042',
      'http.response.status_code': 200,
      'http.request.id': 'complaint-17',
    });
    expect(JSON.stringify(span.attributes)).not.toMatch(/housing|secret-code/);
    // The handler ran with this span active, so what it did is under it.
    expect((res.body as { active: string }).active).toBe(span.spanContext().spanId);
  });

  it("continues the caller's trace when it sends one", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await request(app())
      .get('/api/v1/barriers/GT-0042')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`);
    const span = only();
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanId).toBe('00f067aa0ba902b7');
  });

  it('marks a server error as one, and leaves a caller error alone', async () => {
    expect((await request(app()).get('/api/v1/broken')).status).toBe(500);
    expect(only().status.code).toBe(SpanStatusCode.ERROR);
    spans.reset();
    expect((await request(app()).get('/api/v1/nowhere')).status).toBe(404);
    const missing = only();
    // No route answered: the method alone, never the made-up path.
    expect(missing.name).toBe('GET');
    expect(missing.attributes['http.route']).toBeUndefined();
    expect(missing.status.code).toBe(SpanStatusCode.UNSET);
    expect(missing.attributes['http.response.status_code']).toBe(404);
  });

  it('leaves out probes', async () => {
    expect((await request(app()).get('/healthz')).status).toBe(200);
    expect(spans.getFinishedSpans()).toHaveLength(0);
  });
});

describe('a span for each request made', () => {
  it("names the receiver's origin and nothing of its path or query", () => {
    const attributes = outgoingSpanAttributes({
      protocol: 'https:',
      hostname: 'hooks.example.org',
      port: 8443,
      // What the instrumentation hands over also holds the path; it must not reach the span.
      ...{ path: '/services/T0/B0/capability-token?key=secret' },
    });
    expect(attributes['http.url']).toBe('https://hooks.example.org:8443');
    expect(JSON.stringify(attributes)).not.toMatch(/capability|secret|services/);
  });
});
