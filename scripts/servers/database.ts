/**
 * The embedded database: FerretDB 1.x on PostgreSQL (the default: it pushes
 * filters down to indexes, see postgres.ts) or on SQLite (no server to run,
 * every filter but `_id` a scan: for a machine without PostgreSQL). MongoDB
 * in production needs none of this (MONGODB_URI).
 */
import { indexPaths } from '../../store/index-paths.ts';
import type { LocalStackConfig } from '../lib/local-stack-config.ts';
import { startFerretDb } from './ferretdb.ts';
import type { ManagedProcess } from './process.ts';
import { startPostgres, type PostgresServer } from './postgres.ts';

export type EmbeddedBackend = LocalStackConfig['database'];

export interface EmbeddedDatabase {
  /** The MongoDB URI of FerretDB, naming database `golden-thread`. */
  uri: string;
  backend: EmbeddedBackend;
  ferretdb: ManagedProcess;
  postgres?: PostgresServer;
  /** Stops FerretDB, then PostgreSQL. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded database with its data under `dataDir` (PostgreSQL's
 * cluster in `postgres/`, SQLite's files in `ferretdb/`). `throwaway` data
 * (tests, the benchmark) skips the disk flushes only a crash would need.
 */
export async function startEmbeddedDatabase(options: {
  cacheDir: string;
  dataDir: string;
  backend: EmbeddedBackend;
  port?: number;
  throwaway?: boolean;
  /** False: PostgreSQL without its GIN indexes (the benchmark's `--without-id-index`). */
  indexes?: boolean;
}): Promise<EmbeddedDatabase> {
  const postgres =
    options.backend === 'postgresql'
      ? await startPostgres({
          dataDir: options.dataDir,
          throwaway: options.throwaway,
          indexes: options.indexes,
          indexPaths: indexPaths(),
        })
      : undefined;
  try {
    const ferret = await startFerretDb({
      cacheDir: options.cacheDir,
      dataDir: options.dataDir,
      port: options.port,
      postgresqlUrl: postgres?.url,
    });
    return {
      uri: ferret.uri,
      backend: options.backend,
      ferretdb: ferret.process,
      postgres,
      async stop() {
        await ferret.process.stop();
        await postgres?.process.stop();
      },
    };
  } catch (err) {
    await postgres?.process.stop();
    throw err;
  }
}
