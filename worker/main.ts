/**
 * The worker process: `npm run worker`. Runs against the servers the
 * environment names (TEMPORAL_ADDRESS, MONGODB_URI) and stops cleanly on
 * SIGINT/SIGTERM, finishing in-flight work first.
 */
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ensureSearchAttributes } from './search-attributes.ts';
import { loadConfig, temporalConnectionOptions } from '../temporal.config.ts';
import { openStore } from '../store/store.ts';
import { createWorker } from './create-worker.ts';
import { requireServers, runMain } from '../scripts/lib/main.ts';

await runMain('worker', async () => {
  const config = loadConfig();
  const { temporalAddress, mongodbUri } = requireServers(config);
  const store = await openStore(mongodbUri);
  const options = temporalConnectionOptions(config, temporalAddress);
  const connection = await NativeConnection.connect(options);
  const client = await Connection.connect(options);
  const missing = await ensureSearchAttributes(client, config.temporal.namespace);
  await client.close();
  if (missing.length > 0) {
    console.warn(
      `[worker] could not register search attributes ${missing.join(', ')}; ask your Temporal operator to add them (see README)`,
    );
  }
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { models: store.models },
  });
  console.log(`[worker] polling task queue ${config.temporal.taskQueue} on ${temporalAddress}`);
  // Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks finish.
  await worker.run();
  await connection.close();
  await store.close();
  console.log('[worker] stopped');
});
