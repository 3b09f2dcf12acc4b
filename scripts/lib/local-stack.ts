/**
 * The servers `npm start` and `npm run stack` need: the ones the environment
 * names, or local ones started here (built on first use), data under `data/`.
 */
import type { Config } from '../../temporal.config.ts';
import { startFerretDb } from '../servers/ferretdb.ts';
import { assertPortFree, progress, type ManagedProcess } from '../servers/process.ts';
import { startTemporalDevServer } from '../servers/temporal-cli.ts';

export interface LocalServers {
  temporalAddress: string;
  mongodbUri: string;
  temporalUiUrl: string | undefined;
  /** Stops whatever this started (nothing for external servers). */
  stop(): Promise<void>;
}

export async function startLocalServers(config: Config): Promise<LocalServers> {
  const started: ManagedProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop()));
  };
  try {
    let temporalAddress = config.temporal.address;
    let temporalUiUrl: string | undefined;
    if (temporalAddress) {
      progress(`using Temporal at ${temporalAddress} (TEMPORAL_ADDRESS)`);
    } else {
      await assertPortFree(
        config.local.temporalPort,
        'the Temporal dev server',
        'LOCAL_TEMPORAL_PORT',
      );
      await assertPortFree(
        config.local.temporalUiPort,
        'the Temporal Web UI',
        'LOCAL_TEMPORAL_UI_PORT',
      );
      progress('starting the Temporal dev server');
      const t = await startTemporalDevServer({
        cacheDir: config.cacheDir,
        dataDir: config.dataDir,
        port: config.local.temporalPort,
        uiPort: config.local.temporalUiPort,
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
      await assertPortFree(config.local.mongodbPort, 'FerretDB', 'LOCAL_MONGODB_PORT');
      progress('starting FerretDB (SQLite)');
      const f = await startFerretDb({
        cacheDir: config.cacheDir,
        dataDir: config.dataDir,
        port: config.local.mongodbPort,
      });
      started.push(f.process);
      mongodbUri = f.uri;
    }
    return { temporalAddress, mongodbUri, temporalUiUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
