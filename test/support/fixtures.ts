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
import { freePort } from '../../scripts/servers/process.ts';
import { startTestApi } from './api.ts';
import type { TestProvider } from './oidc-provider.ts';
import { openTestStack } from './stack.ts';

export interface StackTestOptions {
  /** How the stack is opened (seeded or not, an SMTP listener's behaviour, own servers). */
  stack?: Parameters<typeof openTestStack>[1];
  /** Start a worker on the file's task queue (default true). */
  worker?: boolean;
  /** How the API is started (policy, environment, development mailbox). */
  api?: Parameters<typeof startTestApi>[1];
  /** Start a real OpenID provider on loopback and point the API at it (sign-in and tokens). */
  oidc?: boolean;
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
    .extend('oidc', { scope: 'file' }, async ({}, { onCleanup }) => {
      if (!options.oidc) return undefined as unknown as TestProvider & { apiPort: number };
      const apiPort = await freePort();
      // Loaded only where used: oidc-provider warns about Node 20 on import.
      const { startTestProvider } = await import('./oidc-provider.ts');
      const provider = await startTestProvider({ redirectBases: [`http://127.0.0.1:${apiPort}`] });
      onCleanup(() => provider.close());
      return Object.assign(provider, { apiPort });
    })
    .extend('api', { scope: 'file' }, async ({ stack, oidc }, { onCleanup }) => {
      const api = await startTestApi(
        stack,
        oidc
          ? {
              ...options.api,
              port: oidc.apiPort,
              env: { ...oidc.env(`http://127.0.0.1:${oidc.apiPort}`), ...options.api?.env },
            }
          : options.api,
      );
      onCleanup(() => api.close());
      return api;
    });
}
