/**
 * `npm run seed`: seeds the directory and default policy in the database
 * MONGODB_URI names. `npm run seed -- --demo`: adds demo barriers through the
 * running API (start it first with npm start); refused in production.
 */
import { parseArgs } from 'node:util';
import { loadConfig, requireServers } from '../config.ts';
import { DEFAULT_POLICY } from '../domain/policy/policy.ts';
import { loadPolicyFile } from '../store/policy-store.ts';
import { openStore } from '../store/store.ts';
import { seedDirectory } from '../store/seed/seed-directory.ts';
import { buildSeedDirectory } from '../store/seed/directory-data.ts';
import { DemoError, seedDemo } from './demo/seed-demo.ts';
import { runScript } from './lib/run-script.ts';

await runScript('seed', async () => {
  const { values } = parseArgs({
    options: { demo: { type: 'boolean', default: false }, api: { type: 'string' } },
  });
  if (values.demo) {
    if (process.env.NODE_ENV === 'production') {
      console.error('[seed] demo data is refused in production.');
      process.exit(2);
    }
    const config = loadConfig();
    const apiUrl = values.api ?? `http://127.0.0.1:${config.port}`;
    const adminEmail = buildSeedDirectory().people.find((p) => p.roles.includes('admin'))!.email;
    const started = Date.now();
    try {
      await seedDemo({
        apiUrl,
        authSecret: config.authSecret,
        adminEmail,
        // The policy the running server uses as its default, read from the same setting.
        policyId: config.slaPolicyFile
          ? loadPolicyFile(config.slaPolicyFile).id
          : DEFAULT_POLICY.id,
        log: (line) => console.log(`[seed] ${line}`),
      });
    } catch (err) {
      if (!(err instanceof DemoError)) throw err;
      console.error(`[seed] ${err.message}`);
      process.exit(1);
    }
    console.log(
      `[seed] Done in ${Math.round((Date.now() - started) / 1000)} s. Sign in at ${apiUrl}/sign-in and look at the barriers, the triage queue, the asks and the dashboard.`,
    );
    return;
  }
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
