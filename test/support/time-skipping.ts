/** A time-skipping Temporal environment on the Java test server built by our scripts. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../activities/index.ts';
import { createConsoleTransport } from '../../notify/create-transport.ts';
import type { Models } from '../../store/models.ts';
import { openTestStack, quietTemporalRuntime, TEST_BASE_URL } from './stack.ts';
import { createSmtpTransport } from '../../notify/smtp-transport.ts';
import { ensureSearchAttributes } from '../../worker/search-attributes.ts';
import { createWorker, type GoldenThreadWorker } from '../../worker/create-worker.ts';

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
): Promise<GoldenThreadWorker> {
  return createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundlePath: inject('workflowBundlePath'),
    deps: { models, email },
  });
}

/**
 * A time-skipping server, a test stack (private database and SMTP listener) and
 * a worker on `taskQueue` over them; `close()` stops all three.
 */
export async function openTimeSkippingStack(name: string, taskQueue: string) {
  const env = await openTimeSkipping();
  const stack = await openTestStack(name);
  const transport = createSmtpTransport({ url: stack.mailbox.url, from: 'gt@example.org' });
  const worker = await timeSkippingWorker(env, taskQueue, stack.store.models, {
    transport,
    publicBaseUrl: TEST_BASE_URL,
  });
  const running = worker.run();
  return {
    env,
    stack,
    close: async () => {
      worker.shutdown();
      await running;
      await transport.close();
      await stack.close();
      await env.teardown();
    },
  };
}
