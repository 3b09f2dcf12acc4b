/** The real API on a free port over a test stack, and a small HTTP client for it. */
import { createLogger } from '../../services/logger.ts';
import { signToken, type Claims } from '../../auth/tokens.ts';
import { startApiServer, type RunningApi } from '../../server/start.ts';
import type { Policy } from '../../domain/policy/policy.ts';
import { loadConfig } from '../../config.ts';
import type { TestStack } from './stack.ts';
import { contractProblem } from './contract.ts';

export const TEST_AUTH_SECRET = 'golden-thread-test-secret-0123456789abcdef';

/** The smallest valid raise: a funding barrier in Leigh, Wigan (a Wigan lead may raise it). */
export const leighRaiseBody = (title = 't') => ({
  title,
  description: 'd',
  locality: 'wigan',
  neighbourhood: 'leigh',
  category: 'funding',
});

export interface TestApi extends RunningApi {
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  token(claims: Claims): Promise<string>;
  /** Every log line the API wrote (at the configured LOG_LEVEL; `warn` unless `env` says). */
  logs(): string[];
}

export async function startTestApi(
  stack: TestStack,
  options: {
    policy?: Policy;
    env?: Record<string, string>;
    devMailbox?: boolean;
    port?: number;
  } = {},
): Promise<TestApi> {
  const config = loadConfig({
    NODE_ENV: 'test',
    AUTH_SECRET: TEST_AUTH_SECRET,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    // Tests fire requests far faster than people do; the limit has its own test.
    RATE_LIMIT_PER_MINUTE: '0',
    ...options.env,
  });
  const lines: string[] = [];
  const api = await startApiServer({
    config,
    temporalAddress: stack.temporalAddress,
    mongodbUri: stack.mongodbUri,
    logger: createLogger('api', config.logLevel === 'info' ? 'info' : 'warn', (l) => lines.push(l)),
    defaultPolicy: options.policy,
    port: options.port ?? 0,
    devMailbox: options.devMailbox ? stack.mailbox : undefined,
  });
  return {
    ...api,
    logs: () => [...lines],
    async call(method, path, { token, body, headers = {}, raw } = {}) {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined || raw !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
          ...headers,
        },
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      // Every answer an integration test receives is held to the OpenAPI document.
      const problem = contractProblem(
        method,
        path,
        res.status,
        res.headers.get('content-type'),
        parsed,
      );
      if (problem) throw new Error(`contract: ${problem}`);
      return { status: res.status, body: parsed, headers: res.headers };
    },
    token: (claims) => signToken(TEST_AUTH_SECRET, claims),
  };
}
