/**
 * Shared fixtures (vitest's test.extend): each test file gets its own stack
 * (a private database and task queue on the shared servers, with a worker)
 * and, when it asks for one, the API over it. Both are set up once per file,
 * on first use, and closed when the file ends, the API first.
 *
 *   const test = stackTest('triage', { api: { policy } });
 *   test('…', async ({ api, stack }) => { … });
 */
import { test as base } from 'vitest';
import { startTestApi } from './api.ts';
import { openTestStack } from './stack.ts';

export interface StackTestOptions {
  /** How the stack is opened (seeded or not, an SMTP listener's behaviour, own servers). */
  stack?: Parameters<typeof openTestStack>[1];
  /** Start a worker on the file's task queue (default true). */
  worker?: boolean;
  /** How the API is started (policy, environment, development mailbox). */
  api?: Parameters<typeof startTestApi>[1];
}

/** A `test` whose context carries the file's `stack` and `api`. */
export function stackTest(name: string, options: StackTestOptions = {}) {
  return base
    .extend('stack', { scope: 'file' }, async ({}, { onCleanup }) => {
      const stack = await openTestStack(name, options.stack);
      onCleanup(() => stack.close());
      if (options.worker !== false) await stack.startWorker();
      return stack;
    })
    .extend('api', { scope: 'file' }, async ({ stack }, { onCleanup }) => {
      const api = await startTestApi(stack, options.api);
      onCleanup(() => api.close());
      return api;
    });
}
