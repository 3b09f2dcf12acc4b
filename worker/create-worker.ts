/**
 * Builds a worker for Golden Thread's task queue: the workflows bundle, the
 * activities and the email outbox, with the same options in production and
 * in tests.
 */
import { fileURLToPath } from 'node:url';
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
import { wakeWebhookSubscription } from '../workflows/webhooks/lifecycle.ts';

/** The file every workflow is exported from. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A bundle made ahead (worker/bundle.ts; tests make one per run); otherwise the worker bundles on start. */
  workflowBundlePath?: string;
  /** Open workflows kept in memory between tasks (WORKER_CACHED_WORKFLOWS). */
  maxCachedWorkflows?: number;
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
  const { deps } = options;
  const warn = (message: string, meta: Record<string, unknown>) =>
    console.warn(`[worker] ${message}`, JSON.stringify(meta));
  // One mailer: the outbox's, shared with the notifyBarrier activity of older histories.
  const send = createBarrierMailer({ models: deps.models, ...deps.email });
  const client = new Client({ connection: options.connection, namespace: options.namespace });
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
      : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(
      deps,
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
