/** `npm run servers:build`: builds or fetches every pinned server into the cache, with progress. */
import { loadLocalStackConfig } from './lib/local-stack-config.ts';
import { ensureFerretDb } from './servers/ferretdb.ts';
import { ensureJaeger } from './servers/jaeger.ts';
import { ensureTemporalCli } from './servers/temporal-cli.ts';
import { ensureSchemathesis } from './servers/schemathesis.ts';
import { ensureTemporalTestServer } from './servers/temporal-test-server.ts';
import { ensurePromtool } from './servers/promtool.ts';
import { runScript } from './lib/run-script.ts';

await runScript('servers:build', async () => {
  const { cacheDir } = loadLocalStackConfig();
  console.log(`Temporal CLI:          ${await ensureTemporalCli(cacheDir)}`);
  console.log(`FerretDB:              ${await ensureFerretDb(cacheDir)}`);
  console.log(`Temporal test server:  ${await ensureTemporalTestServer(cacheDir)}`);
  console.log(`Schemathesis:          ${await ensureSchemathesis(cacheDir)}`);
  console.log(`promtool:              ${await ensurePromtool(cacheDir)}`);
  console.log(`Jaeger:                ${await ensureJaeger(cacheDir)}`);
});
