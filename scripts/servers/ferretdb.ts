/**
 * FerretDB 1.x on SQLite (or, for the benchmark, PostgreSQL): built once from
 * our own tiny Go main (scripts/ferretdb) that embeds FerretDB's package, then
 * started on loopback.
 */
import { existsSync, mkdirSync, rmSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  StackError,
  buildOnce,
  freePort,
  progress,
  requireTool,
  runBuild,
  startProcess,
  waitForPort,
  type ManagedProcess,
} from './process.ts';
import { FERRETDB_VERSION, FERRETDB_WRAPPER_REVISION } from './versions.ts';

const sourceDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'ferretdb');

/** Returns the path of our FerretDB binary, building it when it is not cached. */
export async function ensureFerretDb(cacheDir: string): Promise<string> {
  const fromEnv = process.env.FERRETDB_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new StackError(`FERRETDB_BIN is set to ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const target = join(
    cacheDir,
    `ferretdb-${FERRETDB_VERSION}-r${FERRETDB_WRAPPER_REVISION}`,
    'ferretdb',
  );
  await buildOnce(target, async () => {
    const go = requireTool(
      'go',
      'Building FerretDB',
      'Install Go 1.24 or later (Debian: apt-get install golang-go), or set MONGODB_URI to use a running MongoDB.',
    );
    progress(
      `building FerretDB v${FERRETDB_VERSION} from its Go module (first run only, a few minutes)`,
    );
    const staging = `${target}.building`;
    rmSync(staging, { force: true });
    mkdirSync(dirname(target), { recursive: true });
    await runBuild('FerretDB build', go, ['build', '-trimpath', '-o', staging, '.'], {
      cwd: sourceDir,
      env: { ...process.env, CGO_ENABLED: '0' },
      hint: 'check that the Go module proxy is reachable (GOPROXY) and there is disk space, or set MONGODB_URI.',
    });
    renameSync(staging, target);
  });
  return target;
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
