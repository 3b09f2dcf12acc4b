/**
 * OpenTelemetry tracing, off unless the standard `OTEL_*` variables ask for
 * it: an OTLP endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) turns it on, `OTEL_SDK_DISABLED=true`
 * or `OTEL_TRACES_EXPORTER=none` keeps it off. The SDK itself reads the rest
 * (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_TRACES_SAMPLER`,
 * `OTEL_TRACES_SAMPLER_ARG`, the exporter's headers and timeouts).
 *
 * Spans come from the requests the site answers (http-server.ts, installed
 * by the app), the requests it makes and the MongoDB driver
 * (instrumentations), and Temporal's interceptors (temporal.ts). Express's
 * own instrumentation is left out: it made a span for every router a request
 * passed, matched or not (four for a list read, whose work is one span), and
 * those spans were most of what tracing cost a read (bench/README.md).
 * Instrumentations patch a module when it is first required, so a process
 * starts tracing before anything else loads: the API's and the worker's entry
 * points import their `tracing.ts` first.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  Resource,
  detectResourcesSync,
  envDetectorSync,
  hostDetectorSync,
  processDetectorSync,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ConfigError, bool, parseEnv, url } from '../../env.ts';

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** The variables that decide whether tracing is on, checked so a typo stops start-up rather than tracing quietly nothing. */
export const tracingEnvSchema = z
  .object({
    OTEL_SDK_DISABLED: bool,
    OTEL_TRACES_EXPORTER: z
      .enum(['otlp', 'none', ''], { error: 'must be otlp or none (only OTLP is built in)' })
      .optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http:', 'https:']),
    OTEL_EXPORTER_OTLP_PROTOCOL: z
      .enum(['http/protobuf', ''], {
        error: 'must be http/protobuf (the exporter built in; use port 4318)',
      })
      .optional(),
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z
      .enum(['http/protobuf', ''], {
        error: 'must be http/protobuf (the exporter built in; use port 4318)',
      })
      .optional(),
    OTEL_TRACES_SAMPLER: z
      .enum([...SAMPLERS, ''], { error: `must be one of ${SAMPLERS.join(', ')}` })
      .optional(),
    OTEL_TRACES_SAMPLER_ARG: z
      .string()
      .optional()
      .refine(
        (v) => v === undefined || v === '' || (Number(v) >= 0 && Number(v) <= 1),
        'must be a number from 0 to 1 (the share of traces kept)',
      ),
  })
  .transform((e) => ({
    enabled:
      !e.OTEL_SDK_DISABLED &&
      e.OTEL_TRACES_EXPORTER !== 'none' &&
      Boolean(e.OTEL_EXPORTER_OTLP_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
  }));

/**
 * A request this process makes (a webhook, the sign-in provider) is recorded
 * by its origin alone: a receiver's URL can carry a capability in its path or
 * query (a chat service's incoming hook), and a span is read by operators.
 */
export function outgoingSpanAttributes(req: {
  protocol?: string | null;
  hostname?: string | null;
  host?: string | null;
  port?: number | string | null;
}): Record<string, string> {
  const host = req.hostname ?? req.host?.replace(/:\d+$/, '') ?? '';
  const origin = `${req.protocol ?? 'http:'}//${host}${req.port ? `:${req.port}` : ''}`;
  return { 'http.url': origin, 'http.target': '', 'url.full': origin };
}

/** Tracing as a process runs it: what Temporal's workflow span sink needs, and how to flush at exit. */
export interface Tracing {
  /** The processor every span ends in (the workflow sandbox's spans too). */
  spanProcessor: SpanProcessor;
  /** This process's resource (service name and the like). */
  resource: Resource;
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for this process when the environment asks for it.
 * @param serviceName the service's name unless OTEL_SERVICE_NAME (or OTEL_RESOURCE_ATTRIBUTES) gives one
 * @returns undefined when tracing is off
 * @throws {ConfigError} when an OTEL_* variable is not one we can act on
 */
export function startTracing(
  serviceName: string,
  env: Record<string, string | undefined> = process.env,
): Tracing | undefined {
  if (!parseEnv(tracingEnvSchema, env).enabled) return undefined;
  // The SDK's own failures (a collector that cannot be reached) on stderr, not silence.
  const say = (message: string, ...args: unknown[]) =>
    console.error(`[tracing] ${message}`, ...args.map((a) => (a instanceof Error ? a.message : a)));
  diag.setLogger(
    { error: say, warn: say, info: () => {}, debug: () => {}, verbose: () => {} },
    DiagLogLevel.ERROR,
  );
  const resource = Resource.default()
    .merge(new Resource({ 'service.name': serviceName }))
    .merge(
      detectResourcesSync({ detectors: [processDetectorSync, hostDetectorSync, envDetectorSync] }),
    );
  // The exporter reads its endpoint, headers and timeout from the OTEL_EXPORTER_OTLP_* variables.
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter());
  // The sampler comes from OTEL_TRACES_SAMPLER(_ARG); the SDK's default keeps every trace.
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Requests answered have spans of our own (http-server.ts), made for a fraction of the cost.
        disableIncomingRequestInstrumentation: true,
        startOutgoingSpanHook: outgoingSpanAttributes,
      }),
      new MongoDBInstrumentation(),
    ],
  });
  // Our modules are ES modules, whose imports of these CommonJS packages do not pass
  // through `require`, where instrumentations hook: require them here, once, so the
  // instances every later import receives are the patched ones.
  const require = createRequire(import.meta.url);
  for (const name of ['node:http', 'node:https', 'mongodb']) require(name);
  return {
    spanProcessor,
    resource,
    shutdown: () =>
      provider.shutdown().catch((err: unknown) => say('spans not sent at shutdown:', err)),
  };
}

/**
 * For a process's first import: starts tracing, or stops the process with one
 * readable line when an OTEL_* variable is wrong (runMain cannot catch what
 * happens while modules load).
 */
export function startProcessTracing(serviceName: string, processName: string): Tracing | undefined {
  try {
    return startTracing(serviceName);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`[${processName}] ${err.message}`);
    process.exit(1);
  }
}
