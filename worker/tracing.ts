/**
 * The worker process's tracing (observability/tracing/tracing.ts), started as its entry
 * point's first import so that the MongoDB driver is instrumented before
 * anything loads it. Undefined when tracing is off.
 */
import { startProcessTracing } from '../observability/tracing/tracing.ts';

export const tracing = startProcessTracing('golden-thread-worker', 'worker');
