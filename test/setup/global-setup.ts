/**
 * Starts the real servers the suite needs, once per run, on free ports, with
 * their data in a fresh temporary folder, and stops them at the end. Builds
 * anything missing first (with progress), so a fresh machine needs nothing
 * running beforehand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadLocalStackConfig } from '../../scripts/lib/local-stack-config.ts';
import { startEmbeddedDatabase } from '../../scripts/servers/database.ts';
import { startTemporalDevServer } from '../../scripts/servers/temporal-cli.ts';
import { ensureTemporalTestServer } from '../../scripts/servers/temporal-test-server.ts';
import { progress } from '../../scripts/servers/process.ts';
import { writeWorkflowBundle } from '../../worker/bundle.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    mongodbUri: string;
    workflowBundlePath: string;
    testServerPath: string;
    dataDir: string;
    /** The PostgreSQL under FerretDB (for a test's own FerretDB), or '' on SQLite. */
    postgresqlUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const local = loadLocalStackConfig();
  const { cacheDir } = local;
  const dataDir = mkdtempSync(join(tmpdir(), 'golden-thread-test-'));
  progress(`test servers: data in ${dataDir}`);
  const [temporal, ferret, testServerPath] = await Promise.all([
    startTemporalDevServer({ cacheDir, dataDir }),
    // What `npm start` runs (LOCAL_DATABASE), on data thrown away at the end.
    startEmbeddedDatabase({ cacheDir, dataDir, backend: local.database, throwaway: true }),
    ensureTemporalTestServer(cacheDir),
  ]);
  progress(
    `test servers: Temporal ${temporal.address}, FerretDB on ${ferret.backend} ${ferret.uri}`,
  );
  const workflowBundlePath = join(dataDir, 'workflow-bundle.js');
  await writeWorkflowBundle(workflowBundlePath);

  project.provide('temporalAddress', temporal.address);
  project.provide('mongodbUri', ferret.uri.replace(/\/[^/]*$/, '/'));
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('testServerPath', testServerPath);
  project.provide('dataDir', dataDir);
  project.provide('postgresqlUrl', ferret.postgres?.url ?? '');

  return async () => {
    await Promise.all([temporal.process.stop(), ferret.stop()]);
    if (!process.env.KEEP_TEST_DATA) rmSync(dataDir, { recursive: true, force: true });
  };
}
