/**
 * The servers `npm start` and `npm run stack` need: the ones the environment
 * names, or local ones started here (built on first use), data under `data/`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.ts';
import { startEmbeddedDatabase } from '../servers/database.ts';
import { requireFreeSpace } from '../servers/diagnose.ts';
import { StackError, assertPortFree, progress } from '../servers/process.ts';
import { startTemporalDevServer } from '../servers/temporal-cli.ts';
import type { LocalStackConfig } from './local-stack-config.ts';

export interface LocalServers {
  temporalAddress: string;
  mongodbUri: string;
  temporalUiUrl: string | undefined;
  /** Stops whatever this started (nothing for external servers). */
  stop(): Promise<void>;
}

export async function startLocalServers(
  config: Config,
  local: LocalStackConfig,
): Promise<LocalServers> {
  const started: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop()));
  };
  // A full disk would fail part-way, in some server's words: say so first.
  const short = requireFreeSpace(local.dataDir);
  if (short) throw new StackError(short);
  try {
    let temporalAddress = config.temporal.address;
    let temporalUiUrl: string | undefined;
    if (temporalAddress) {
      progress(`using Temporal at ${temporalAddress} (TEMPORAL_ADDRESS)`);
    } else {
      await assertPortFree(local.temporalPort, 'the Temporal dev server', 'LOCAL_TEMPORAL_PORT');
      await assertPortFree(local.temporalUiPort, 'the Temporal Web UI', 'LOCAL_TEMPORAL_UI_PORT');
      progress('starting the Temporal dev server');
      const t = await startTemporalDevServer({
        cacheDir: local.cacheDir,
        dataDir: local.dataDir,
        port: local.temporalPort,
        uiPort: local.temporalUiPort,
        namespace: config.temporal.namespace,
      });
      started.push(t.process);
      temporalAddress = t.address;
      temporalUiUrl = t.uiUrl;
    }
    let mongodbUri = config.mongodbUri;
    if (mongodbUri) {
      progress('using the database at MONGODB_URI');
    } else {
      await assertPortFree(local.mongodbPort, 'FerretDB', 'LOCAL_MONGODB_PORT');
      const backend = local.database;
      const sqliteData = join(local.dataDir, 'ferretdb');
      if (
        backend === 'postgresql' &&
        !existsSync(join(local.dataDir, 'postgres')) &&
        existsSync(sqliteData) &&
        readdirSync(sqliteData).length > 0
      )
        progress(
          `note: ${sqliteData} holds a database on SQLite from before PostgreSQL was the default; it is kept but not used. Run with LOCAL_DATABASE=sqlite to use it.`,
        );
      progress(
        `starting FerretDB on ${backend === 'postgresql' ? 'PostgreSQL' : 'SQLite'} (LOCAL_DATABASE), data in ${local.dataDir}`,
      );
      const f = await startEmbeddedDatabase({
        cacheDir: local.cacheDir,
        dataDir: local.dataDir,
        backend,
        port: local.mongodbPort,
      });
      started.push(f);
      mongodbUri = f.uri;
    }
    return { temporalAddress, mongodbUri, temporalUiUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
