/** `npm run seed`: seeds the directory and default policy in the database MONGODB_URI names. */
import { loadConfig } from '../temporal.config.ts';
import { openStore } from '../store/store.ts';
import { seedDirectory } from '../store/seed/seed-directory.ts';
import { requireServers, runMain } from './lib/main.ts';

await runMain('seed', async () => {
  const config = loadConfig();
  if (!config.mongodbUri) requireServers(config);
  const store = await openStore(config.mongodbUri!);
  console.log(
    (await seedDirectory(store.models))
      ? 'seeded the directory'
      : 'the directory already has localities; left as it is',
  );
  await store.close();
});
