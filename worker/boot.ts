/**
 * Everything a worker process needs before it polls: connections, the
 * namespace's search attributes, the daily digest schedule and the worker
 * itself. Shared by `npm run worker` and `npm start`.
 */
import { bankHolidayDataWarning } from '../domain/calendar/working-time.ts';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config.ts';
import { temporalConnectionOptions } from '../temporal.config.ts';
import type { ActivityDeps } from '../activities/index.ts';
import { createWorker, type GoldenThreadWorker } from './create-worker.ts';
import { ensureDigestSchedule } from './digest-schedule.ts';
import { ensureSearchAttributes } from './search-attributes.ts';
import { rollupsNeedRebuild } from '../store/dashboard-rollups.ts';
import type { Tracing } from '../observability/tracing/tracing.ts';

export interface BootedWorker {
  worker: GoldenThreadWorker;
  /** Closes the connections once the worker has stopped. */
  close: () => Promise<void>;
}

/** The email settings a worker takes from the configuration, with the transport it sends through. */
export const emailDepsFrom = (
  config: Config,
  transport: ActivityDeps['email']['transport'],
): ActivityDeps['email'] => ({
  transport,
  publicBaseUrl: config.publicBaseUrl,
  emailWindowMs: config.email.windowMs,
});

export async function bootWorker(options: {
  config: Config;
  temporalAddress: string;
  deps: ActivityDeps;
  say: (line: string) => void;
  /** This process's tracing, when it is on (observability/tracing/tracing.ts). */
  tracing?: Tracing;
}): Promise<BootedWorker> {
  const { config, temporalAddress, say } = options;
  const holidays = bankHolidayDataWarning(Date.now());
  if (holidays) say(`WARNING: ${holidays}`);
  if (await rollupsNeedRebuild(options.deps.models))
    say(
      "WARNING: the dashboard's totals were made before this version (or never): until the workers are stopped and npm run rollups:rebuild is run, each dashboard view after a change counts the whole read model",
    );
  const connectionOptions = temporalConnectionOptions(config, temporalAddress);
  const native = await NativeConnection.connect(connectionOptions);
  const connection = await Connection.connect(connectionOptions);
  try {
    const missing = await ensureSearchAttributes(connection, config.temporal.namespace);
    if (missing.length > 0) {
      say(
        `could not register search attributes ${missing.join(', ')}; ask your Temporal operator to add them (see README)`,
      );
    }
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const schedule = await ensureDigestSchedule(client, config.temporal.taskQueue);
    say(`daily digest schedule ${schedule} (weekdays 08:00 Europe/London)`);
  } finally {
    await connection.close();
  }
  const worker = await createWorker({
    connection: native,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { ...options.deps, webhooks: options.deps.webhooks ?? config.webhooks },
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
    workflowBundlePath: config.temporal.workflowBundle,
    tracing: options.tracing,
  });
  if (config.temporal.workflowBundle)
    say(`workflows from the bundle ${config.temporal.workflowBundle}`);
  return { worker, close: () => native.close() };
}
