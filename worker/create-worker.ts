/**
 * Builds a worker for Golden Thread's task queue: the workflows bundle and the
 * activities, with the same options in production and in tests.
 */
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { DEFAULT_CACHED_WORKFLOWS } from '../temporal.config.ts';

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

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(options.deps),
    // Finish in-flight activities on shutdown rather than abandoning them.
    shutdownGraceTime: '10 seconds',
    // Bounded, not the SDK's heap-sized default, so memory does not grow with open barriers.
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_CACHED_WORKFLOWS,
    ...options.overrides,
  });
}
