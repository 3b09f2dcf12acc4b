/**
 * Temporal's side of tracing (@temporalio/interceptors-opentelemetry): the
 * client's calls carry the caller's trace to the workflow in its headers,
 * workflows make spans in their sandbox and hand them to the worker through a
 * sink, and activities continue the trace of the workflow that scheduled
 * them. With tracing off none of it is installed, and the workflow bundle
 * holds no interceptor, so workflows run exactly as they do untraced.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ClientInterceptors } from '@temporalio/client';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import { runWithLogContext } from './log-context.ts';
import type { Tracing } from './tracing.ts';

/** The module whose workflow interceptors make spans in the sandbox; bundled only for tracing. */
export const WORKFLOW_TRACING_MODULE = createRequire(import.meta.url).resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

/** Whether a workflow bundle was made with the tracing interceptors (webpack names each module by its path). */
export function bundleTraces(code: string): boolean {
  return code.includes('interceptors-opentelemetry/lib/workflow-interceptors');
}

/** Whether the bundle file at `path` traces workflows. */
export const bundleFileTraces = (path: string) => bundleTraces(readFileSync(path, 'utf8'));

/** The client interceptors that carry the caller's trace into Temporal, when tracing is on. */
export function tracingClientInterceptors(tracing: Tracing | undefined): ClientInterceptors {
  return tracing ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : {};
}

/**
 * Each activity's log lines name its workflow and activity, traced or not;
 * traced, the activity runs in a span under the workflow's.
 */
export function activityInterceptors(tracing: Tracing | undefined): ActivityInterceptorsFactory[] {
  const logContext: ActivityInterceptorsFactory = (ctx) => ({
    inbound: {
      execute: (input, next) =>
        runWithLogContext(
          {
            workflowId: ctx.info.workflowExecution?.workflowId ?? '',
            activity: ctx.info.activityType,
          },
          () => next(input),
        ),
    },
  });
  if (!tracing) return [logContext];
  return [
    (ctx) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    }),
    logContext,
  ];
}

/**
 * The sink a traced bundle's workflows hand their spans to: this process's
 * span processor, or nowhere when tracing is off here.
 */
export function workflowSpanSinks(tracing: Tracing | undefined): WorkerOptions['sinks'] {
  return {
    exporter: tracing
      ? makeWorkflowExporter(tracing.spanProcessor, tracing.resource)
      : { export: { fn: () => undefined } },
  };
}
