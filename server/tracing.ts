/**
 * The API process's tracing (observability/tracing/tracing.ts), started as its entry
 * point's first import so that HTTP, express and the MongoDB driver are
 * instrumented before anything loads them. Undefined when tracing is off.
 */
import { startProcessTracing } from '../observability/tracing/tracing.ts';

export const tracing = startProcessTracing('golden-thread-api', 'api');
