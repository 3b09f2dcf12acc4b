/**
 * What joins a log line to the request or the activity it was written in: a
 * request id (server/request-id.ts) or a workflow and activity, kept in an
 * AsyncLocalStorage for the work's whole async life, and the trace and span
 * ids when tracing is on (from OpenTelemetry's own context).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isSpanContextValid, trace } from '@opentelemetry/api';

/** The fields a piece of work adds to each of its log lines. */
export type LogContext = Readonly<Record<string, string>>;

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `fields` on every log line written in it (and in what it starts). */
export function runWithLogContext<T>(fields: LogContext, fn: () => T): T {
  const outer = storage.getStore();
  return storage.run(outer ? { ...outer, ...fields } : fields, fn);
}

/** The fields for a line written now: the work's own, then the trace's. */
export function currentLogFields(): Record<string, string> {
  const fields: Record<string, string> = { ...storage.getStore() };
  const span = trace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) {
    fields.traceId = span.traceId;
    fields.spanId = span.spanId;
  }
  return fields;
}
