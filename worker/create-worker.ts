/**
 * Builds a worker for Golden Thread's task queue: the workflows bundle, the
 * activities and the email outbox, with the same options in production and
 * in tests.
 */
import { Client } from '@temporalio/client';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { createEmailOutbox, reportToWorkflow, type EmailOutbox } from './email-outbox.ts';
import { createBarrierMailer } from '../activities/notifications.ts';
import { createBatchSender } from '../activities/email-batches.ts';
import { createEmailLedger } from '../activities/email-ledger.ts';
import { createWebhookAdminMailer } from '../activities/webhook-email.ts';
import { foldEvery } from './dashboard-fold.ts';
import { DEFAULT_CACHED_WORKFLOWS } from '../config.ts';
import { workflowMetricsSinks } from './metrics.ts';
import { WORKFLOW_METRICS_INTERCEPTORS, WORKFLOWS_PATH, shakeWorkflowBundle } from './bundle.ts';
import { currentLogFields } from '../observability/tracing/log-context.ts';
import type { Tracing } from '../observability/tracing/tracing.ts';
import {
  WORKFLOW_TRACING_MODULE,
  activityInterceptors,
  bundleFileTraces,
  tracingClientInterceptors,
  workflowSpanSinks,
} from '../observability/tracing/temporal.ts';
import { wakeWebhookSubscription } from '../workflows/webhooks/lifecycle.ts';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A bundle made ahead (worker/bundle.ts; tests make one per run); otherwise the worker bundles on start. */
  workflowBundlePath?: string;
  /** Open workflows kept in memory between tasks (WORKER_CACHED_WORKFLOWS). */
  maxCachedWorkflows?: number;
  /** This process's tracing (observability/tracing/tracing.ts), when it is on. */
  tracing?: Tracing;
  /** Extra options for tests and benchmarks. */
  overrides?: Partial<WorkerOptions>;
}

/** How often a worker folds the dashboard's deltas into a snapshot (store/dashboard-rollups.ts). */
export const DASHBOARD_FOLD_EVERY_MS = 5_000;

/**
 * A Temporal worker, the email outbox it sends from and the folding of the
 * dashboard's totals: `run()` runs all three until `shutdown()`, and resolves
 * once the sends under way have finished.
 */
export class GoldenThreadWorker {
  constructor(
    readonly worker: Worker,
    readonly outbox: EmailOutbox,
    private readonly startFolding: () => { stop(): Promise<void> },
  ) {}

  async run(): Promise<void> {
    this.outbox.start();
    const folding = this.startFolding();
    try {
      await this.worker.run();
    } finally {
      await Promise.all([this.outbox.stop(), folding.stop()]);
    }
  }

  shutdown(): void {
    this.worker.shutdown();
  }

  getState(): ReturnType<Worker['getState']> {
    return this.worker.getState();
  }
}

export async function createWorker(options: CreateWorkerOptions): Promise<GoldenThreadWorker> {
  const { deps, tracing } = options;
  // JSON lines (as services/logger.ts writes them), each with the activity or trace it was written in.
  const warn = (msg: string, meta: Record<string, unknown>) =>
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: 'warn', name: 'worker', msg, ...currentLogFields(), ...meta })}\n`,
    );
  const bundled = options.workflowBundlePath;
  // A bundle decides for itself whether workflows make spans (observability/tracing/temporal.ts).
  const bundleTraced = bundled ? bundleFileTraces(bundled) : Boolean(tracing);
  if (tracing && !bundleTraced)
    warn(
      'the workflow bundle was made without tracing: workflows make no spans (activities and clients do); rebuild it with npm run bundle:workflows -- --tracing',
      { bundle: bundled },
    );
  // One mailer: the outbox's, shared with the notifyBarrier activity of older histories.
  const send = createBarrierMailer({ models: deps.models, ...deps.email });
  const client = new Client({
    connection: options.connection,
    namespace: options.namespace,
    interceptors: tracingClientInterceptors(tracing),
  });
  const outbox = createEmailOutbox({
    models: deps.models,
    send,
    report: reportToWorkflow(client, warn),
    warn,
    sendBatch: createBatchSender({
      models: deps.models,
      ledger: createEmailLedger({
        log: deps.models.EmailLog,
        transport: deps.email.transport,
        leaseMs: deps.email.claimLeaseMs,
      }),
      publicBaseUrl: deps.email.publicBaseUrl,
    }),
  });
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : {
          workflowsPath: WORKFLOWS_PATH,
          bundlerOptions: { webpackConfigHook: shakeWorkflowBundle },
        }),
    activities: createActivities(
      { client, ...deps },
      { outbox, send },
      {
        wake: (subscriptionId) =>
          wakeWebhookSubscription(client, options.taskQueue, subscriptionId),
        warn,
        tellAdmins: createWebhookAdminMailer({
          models: deps.models,
          ledger: createEmailLedger({ log: deps.models.EmailLog, transport: deps.email.transport }),
          publicBaseUrl: deps.email.publicBaseUrl,
        }),
      },
    ),
    interceptors: {
      activity: activityInterceptors(tracing),
      // Only when the worker bundles itself: a bundle made ahead holds its own (worker/bundle.ts).
      ...(!bundled && {
        workflowModules: [
          WORKFLOW_METRICS_INTERCEPTORS,
          ...(tracing ? [WORKFLOW_TRACING_MODULE] : []),
        ],
      }),
    },
    sinks: {
      ...workflowMetricsSinks,
      // A traced bundle's workflows hand their spans to this sink (dropped when tracing is off).
      ...(bundleTraced ? workflowSpanSinks(tracing) : {}),
    },
    // Finish in-flight activities on shutdown rather than abandoning them.
    shutdownGraceTime: '10 seconds',
    // Bounded, not the SDK's heap-sized default, so memory does not grow with open barriers.
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_CACHED_WORKFLOWS,
    ...options.overrides,
  });
  return new GoldenThreadWorker(worker, outbox, () =>
    foldEvery(deps.models, DASHBOARD_FOLD_EVERY_MS, warn),
  );
}
