/**
 * `npm start`'s tracing: the API and the worker share its process, so one
 * service name for both. Imported first by scripts/start.ts (see
 * telemetry/tracing.ts for why first). Undefined when tracing is off.
 */
import { startProcessTracing } from '../../telemetry/tracing.ts';

export const tracing = startProcessTracing('golden-thread', 'start');
