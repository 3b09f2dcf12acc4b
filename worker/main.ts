/**
 * The worker process: `npm run worker`. Runs against the servers the
 * environment names (TEMPORAL_ADDRESS, MONGODB_URI) and stops cleanly on
 * SIGINT/SIGTERM, finishing in-flight work first.
 */
// First: tracing instruments modules as they load.
import { tracing } from './tracing.ts';
import { loadConfig, requireServers } from '../config.ts';
import { openStore } from '../store/store.ts';
import { createTransportFromConfig } from '../notify/create-transport.ts';
import { runMain } from '../run-main.ts';
import { bootWorker, emailDepsFrom } from './boot.ts';
import { startWorkerMetrics } from './metrics.ts';

await runMain('worker', async () => {
  const config = loadConfig();
  const { temporalAddress, mongodbUri } = requireServers(config);
  const store = await openStore(mongodbUri);
  const transport = createTransportFromConfig(config);
  const say = (line: string) => console.log(`[worker] ${line}`);
  if (transport.name === 'console') say('no SMTP_URL or NOTIFY_API_KEY: emails are printed here');
  // Before the worker connects: the Temporal runtime, with its metrics, is made once.
  const metrics = await startWorkerMetrics(
    config,
    store.models,
    config.metrics.workerPort,
    'WORKER_METRICS_PORT',
  );
  if (metrics) say(`metrics on ${metrics.url}`);
  if (tracing) say('tracing on: spans go to the OTLP endpoint OTEL_EXPORTER_OTLP_* names');
  const { worker, close } = await bootWorker({
    config,
    temporalAddress,
    deps: {
      models: store.models,
      email: emailDepsFrom(config, transport),
    },
    say,
    tracing,
  });
  say(`polling task queue ${config.temporal.taskQueue} on ${temporalAddress}`);
  // Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks finish.
  await worker.run();
  await close();
  await metrics?.close();
  await transport.close();
  await store.close();
  await tracing?.shutdown();
  say('stopped');
});
