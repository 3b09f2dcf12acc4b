/**
 * Starts the API on a port against given servers, and stops it gracefully:
 * in-flight requests finish, new connections are refused.
 */
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { bankHolidayDataWarning } from '../domain/calendar/working-time.ts';
import { DEFAULT_POLICY, type Policy } from '../domain/policy/policy.ts';
import type { Config } from '../config.ts';
import { temporalConnectionOptions } from '../temporal.config.ts';
import { addPolicy } from '../store/policy-store.ts';
import { openStore } from '../store/store.ts';
import { createOidcClient } from '../auth/oidc.ts';
import { createServices } from '../services/create-services.ts';
import { createApp } from './app.ts';
import { setMetricsEnabled } from '../observability/metrics/metrics.ts';
import type { Logger } from '../services/logger.ts';
import type { SmtpSink } from '../notify/smtp-sink.ts';
import type { Tracing } from '../observability/tracing/tracing.ts';
import { tracingClientInterceptors } from '../observability/tracing/temporal.ts';

export interface RunningApi {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startApiServer(options: {
  config: Config;
  temporalAddress: string;
  mongodbUri: string;
  logger: Logger;
  defaultPolicy?: Policy;
  port?: number;
  devMailbox?: SmtpSink;
  /** Check each API answer against its schema; default: outside production (the bench turns it off). */
  checkResponses?: boolean;
  /** This process's tracing, when it is on: Temporal calls then carry the request's trace. */
  tracing?: Tracing;
}): Promise<RunningApi> {
  const { config, logger } = options;
  setMetricsEnabled(config.metrics.enabled);
  const holidays = bankHolidayDataWarning(Date.now());
  if (holidays) logger.warn(holidays);
  const store = await openStore(options.mongodbUri);
  const defaultPolicy = options.defaultPolicy ?? DEFAULT_POLICY;
  await addPolicy(store.models, defaultPolicy, 'system');
  const connection = await Connection.connect(
    temporalConnectionOptions(config, options.temporalAddress),
  );
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    interceptors: tracingClientInterceptors(options.tracing),
  });
  const services = createServices(
    store,
    { client, taskQueue: config.temporal.taskQueue },
    { defaultPolicy, logger, publicBaseUrl: config.publicBaseUrl, webhooks: config.webhooks },
  );
  const app = createApp({
    services,
    authSecret: config.authSecret,
    oidc: config.oidc && {
      config: config.oidc,
      client: createOidcClient(config.oidc, { allowHttp: config.env !== 'production' }),
    },
    sessions: config.sessions,
    publicBaseUrl: config.publicBaseUrl,
    logger,
    devMailbox: options.devMailbox,
    production: config.env === 'production',
    checkResponses: options.checkResponses,
    rateLimits: config.rateLimits,
    traced: options.tracing !== undefined,
    readiness: {
      temporal: async () => {
        try {
          await connection.withDeadline(Date.now() + 2_000, () =>
            connection.workflowService.getSystemInfo({}),
          );
          return true;
        } catch {
          return false;
        }
      },
      database: () => services.health.database(),
    },
  });
  const port = options.port ?? config.port;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, '0.0.0.0', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is already in use: stop what holds it or set PORT.`)
          : err,
      ),
    );
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    server,
    async close() {
      // Stop accepting; let in-flight requests finish; drop idle keep-alives.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(force);
      await connection.close();
      await store.close();
    },
  };
}
