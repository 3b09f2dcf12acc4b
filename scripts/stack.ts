/**
 * `npm run stack`: only the servers (Temporal dev server and FerretDB), for
 * running `npm run worker` and `npm run api` as separate processes.
 */
import { loadConfig } from '../config.ts';
import { openStore } from '../store/store.ts';
import { seedDirectory } from '../store/seed/seed-directory.ts';
import { startLocalServers } from './lib/local-stack.ts';
import { loadLocalStackConfig } from './lib/local-stack-config.ts';
import { runScript } from './lib/run-script.ts';
import { progress } from './servers/process.ts';

await runScript('stack', async () => {
  const config = loadConfig();
  const servers = await startLocalServers(config, loadLocalStackConfig());
  const store = await openStore(servers.mongodbUri);
  if (await seedDirectory(store.models)) progress('seeded the directory (first run)');
  await store.close();
  console.log(`
Servers are up. In other terminals:

  export TEMPORAL_ADDRESS=${servers.temporalAddress}
  export MONGODB_URI=${servers.mongodbUri}
  npm run worker
  npm run api
${servers.temporalUiUrl ? `\nTemporal Web UI: ${servers.temporalUiUrl}\n` : ''}
Ctrl-C stops the servers.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await servers.stop();
});
