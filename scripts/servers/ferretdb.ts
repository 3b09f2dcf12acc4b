/**
 * FerretDB 1.x on SQLite (or, for the benchmark, PostgreSQL): built once from
 * our own tiny Go main (scripts/ferretdb) that embeds FerretDB's package, then
 * started on loopback.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  findOrBuildGoTool,
  freePort,
  runBuild,
  startProcess,
  waitForPort,
  type ManagedProcess,
} from './process.ts';
import { FERRETDB_VERSION, FERRETDB_WRAPPER_REVISION } from './versions.ts';

const sourceDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'ferretdb');

/** Returns the path of our FerretDB binary, building it when it is not cached. */
export function ensureFerretDb(cacheDir: string): Promise<string> {
  return findOrBuildGoTool({
    envVar: 'FERRETDB_BIN',
    target: join(
      cacheDir,
      `ferretdb-${FERRETDB_VERSION}-r${FERRETDB_WRAPPER_REVISION}`,
      'ferretdb',
    ),
    what: `FerretDB v${FERRETDB_VERSION}`,
    goVersion: '1.24',
    instead: 'set MONGODB_URI to use a running MongoDB',
    build: async (go, staging, hint) => {
      const built = join(staging, 'ferretdb');
      await runBuild('FerretDB build', go, ['build', '-trimpath', '-o', built, '.'], {
        cwd: sourceDir,
        env: { ...process.env, CGO_ENABLED: '0' },
        hint,
      });
      return built;
    },
  });
}

/** A running FerretDB. */
export interface FerretDbServer {
  uri: string;
  process: ManagedProcess;
}

/**
 * Starts FerretDB and waits for it: with its SQLite files under
 * `dataDir/ferretdb`, or on the PostgreSQL server `postgresqlUrl` names.
 */
export async function startFerretDb(options: {
  cacheDir: string;
  dataDir: string;
  port?: number;
  postgresqlUrl?: string;
}): Promise<FerretDbServer> {
  const bin = await ensureFerretDb(options.cacheDir);
  const port = options.port ?? (await freePort());
  const sqliteDir = () => {
    const dir = join(options.dataDir, 'ferretdb');
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const backend = options.postgresqlUrl
    ? ['--postgresql-url', options.postgresqlUrl]
    : ['--sqlite-dir', sqliteDir()];
  const proc = startProcess(
    'FerretDB',
    bin,
    ['--listen-addr', `127.0.0.1:${port}`, ...backend, '--log-level', 'warn'],
    join(options.dataDir, 'logs', 'ferretdb.log'),
  );
  await waitForPort(proc, '127.0.0.1', port, 30_000);
  return { uri: `mongodb://127.0.0.1:${port}/golden-thread`, process: proc };
}
