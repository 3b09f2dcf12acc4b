/**
 * Carrying a trace across work that is stored and picked up later (the email
 * outbox): the W3C trace context of the work that stored it, and a span for
 * the work that picks it up, under that context. With tracing off both are
 * no-ops of the OpenTelemetry API.
 */
import { SpanStatusCode, context, propagation, trace, type Attributes } from '@opentelemetry/api';

const tracer = trace.getTracer('golden-thread');

/** The active trace as W3C headers (`traceparent`, `tracestate`) to store, or null when there is none. */
export function traceCarrier(): Record<string, string> | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : null;
}

/** Runs `fn` in a span named `name`, a child of the trace `carrier` stored (a root span without one). */
export function inSpanFrom<T>(
  name: string,
  carrier: Record<string, string> | null | undefined,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  const parent = carrier ? propagation.extract(context.active(), carrier) : context.active();
  return tracer.startActiveSpan(name, { attributes }, parent, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}
