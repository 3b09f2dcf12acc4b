/**
 * `npm start`'s tracing: the API and the worker share its process, so one
 * service name for both. Imported first by scripts/start.ts (see
 * observability/tracing/tracing.ts for why first). Undefined when tracing is off.
 */
import { startProcessTracing } from '../../observability/tracing/tracing.ts';

export const tracing = startProcessTracing('golden-thread', 'start');
