/** A time-skipping Temporal environment on the Java test server built by our scripts. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities, type ActivityDeps } from '../../activities/index.ts';
import { createConsoleTransport } from '../../notify/create-transport.ts';
import type { Models } from '../../store/models.ts';
import { quietTemporalRuntime } from './stack.ts';
import { ensureSearchAttributes } from '../../worker/search-attributes.ts';

export async function openTimeSkipping(): Promise<TestWorkflowEnvironment> {
  quietTemporalRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
  });
  const failed = await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  if (failed.length > 0)
    throw new Error(
      `could not register search attributes on the test server: ${failed.join(', ')}`,
    );
  return env;
}

/** A worker on the time-skipping server with the real activities over `models`. */
export async function timeSkippingWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  models: Models,
  email: ActivityDeps['email'] = {
    transport: createConsoleTransport(),
    publicBaseUrl: 'http://golden-thread.test',
  },
): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ models, email }),
  });
}
