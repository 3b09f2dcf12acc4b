/**
 * `npm run reconcile`: compares every barrier in the read model with its
 * workflow (stage, status, owner, event count) and lists any difference.
 * Exits 1 when there is one. Run it after a database outage or restore.
 */
import { Client, Connection } from '@temporalio/client';
import { loadConfig, requireServers } from '../config.ts';
import { temporalConnectionOptions } from '../temporal.config.ts';
import { openStore } from '../store/store.ts';
import { reconcileBarriers } from './lib/reconcile.ts';
import { runScript } from './lib/run-script.ts';

await runScript('reconcile', async () => {
  const config = loadConfig();
  const { temporalAddress, mongodbUri } = requireServers(config);
  const store = await openStore(mongodbUri);
  const connection = await Connection.connect(temporalConnectionOptions(config, temporalAddress));
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const mismatches = await reconcileBarriers(client, store.models);
    for (const m of mismatches)
      console.log(
        `${m.barrierId}: ${m.field} is ${JSON.stringify(m.readModel)} in the read model, ${JSON.stringify(m.workflow)} in the workflow`,
      );
    console.log(
      mismatches.length === 0
        ? 'read model and workflows agree'
        : `${mismatches.length} difference(s)`,
    );
    process.exitCode = mismatches.length === 0 ? 0 : 1;
  } finally {
    await connection.close();
    await store.close();
  }
});
