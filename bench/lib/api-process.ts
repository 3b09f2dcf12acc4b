/**
 * The API as the bench runs it: a process of its own, as in production, so
 * the bench's clients (the ten readers, the raises) do not share its event
 * loop. Beside it, on a second port, a bare express app answering GET /ping:
 * the floor an API request in a process like this one cannot beat.
 *
 * Configured by the harness through the environment (BENCH_API); prints one
 * line, `ready <api url> <bare url>`, once both listen. SIGTERM closes it.
 */
// First: tracing (on with the OTEL_* variables the harness passes for --tracing) instruments modules as they load.
import { tracing } from '../../server/tracing.ts';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { runScript } from '../../scripts/lib/run-script.ts';
import { startApiServer } from '../../server/start.ts';
import { createLogger } from '../../services/logger.ts';
import { loadConfig } from '../../config.ts';
import { benchPolicy } from './bench-policy.ts';

export interface BenchApiOptions {
  secret: string;
  taskQueue: string;
  temporalAddress: string;
  mongodbUri: string;
}

await runScript('bench-api', async () => {
  const o = JSON.parse(process.env.BENCH_API ?? '') as BenchApiOptions;
  const api = await startApiServer({
    config: loadConfig({
      NODE_ENV: 'test',
      AUTH_SECRET: o.secret,
      TEMPORAL_TASK_QUEUE: o.taskQueue,
      RATE_LIMIT_PER_MINUTE: '0',
      // The observability section's switch: metrics counted or not (the listener stays off here).
      ...(process.env.METRICS_ENABLED ? { METRICS_ENABLED: process.env.METRICS_ENABLED } : {}),
      // The webhooks section's receivers are on loopback.
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    }),
    temporalAddress: o.temporalAddress,
    mongodbUri: o.mongodbUri,
    logger: createLogger('api', 'error'),
    defaultPolicy: benchPolicy('P7D'),
    port: 0,
    // Measured as production answers: without checking each against its schema.
    checkResponses: false,
    tracing,
  });
  const bare = express();
  bare.get('/ping', (_req, res) => {
    res.json({ ok: true });
  });
  const bareServer = bare.listen(0, '127.0.0.1');
  await new Promise((r) => bareServer.once('listening', r));
  const { port } = bareServer.address() as AddressInfo;
  console.log(`ready ${api.url} http://127.0.0.1:${port}`);
  process.once('SIGTERM', () => {
    bareServer.close();
    // The spans still buffered are sent, as server/main.ts sends them.
    void api
      .close()
      .then(() => tracing?.shutdown())
      .then(() => process.exit(0));
  });
});
