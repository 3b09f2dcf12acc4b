/**
 * The Temporal connection's settings: where the cluster is, which namespace
 * and task queue, and how to authenticate (mutual TLS or an API key).
 * config.ts composes these into the application's configuration.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { bool, optionalString } from './env.ts';

/** The environment variables that say how to reach Temporal, and what each may hold. */
export const temporalEnvSchema = z.object({
  TEMPORAL_ADDRESS: optionalString.refine((v) => v === undefined || /^[^\s:]+:\d+$/.test(v), {
    message: 'must be host:port, for example 127.0.0.1:7233',
  }),
  TEMPORAL_NAMESPACE: z.string().trim().min(1, 'must not be empty').default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1, 'must not be empty').default('golden-thread'),
  TEMPORAL_TLS: bool,
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_API_KEY: optionalString,
});

/** The Temporal variables as parsed, before they become {@link TemporalConfig}. */
export type TemporalEnv = z.output<typeof temporalEnvSchema>;

/** Reports Temporal variables that are valid alone but not together; for a schema's superRefine. */
export function checkTemporalEnv(env: TemporalEnv, ctx: z.RefinementCtx): void {
  if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
    ctx.addIssue({
      code: 'custom',
      path: ['TEMPORAL_TLS_KEY_PATH'],
      message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together: set both or neither',
    });
  }
}

/** The connection settings the Temporal variables make; for a schema's transform. */
export function temporalConfig(env: TemporalEnv) {
  return {
    /** `undefined` means: start the local dev server (see scripts/). */
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    /** On when asked for, and whenever a client certificate or an API key is given. */
    tls: env.TEMPORAL_TLS || Boolean(env.TEMPORAL_TLS_CERT_PATH) || Boolean(env.TEMPORAL_API_KEY),
    tlsCertPath: env.TEMPORAL_TLS_CERT_PATH,
    tlsKeyPath: env.TEMPORAL_TLS_KEY_PATH,
    apiKey: env.TEMPORAL_API_KEY,
  };
}

/** How to reach Temporal. */
export type TemporalConfig = ReturnType<typeof temporalConfig>;

/** Connection options for @temporalio/client's Connection and the worker's NativeConnection. */
export function temporalConnectionOptions(config: { temporal: TemporalConfig }, address: string) {
  const { tls, tlsCertPath, tlsKeyPath, apiKey } = config.temporal;
  return {
    address,
    apiKey,
    tls: tls
      ? tlsCertPath && tlsKeyPath
        ? { clientCertPair: { crt: readFileSync(tlsCertPath), key: readFileSync(tlsKeyPath) } }
        : true
      : undefined,
  };
}
