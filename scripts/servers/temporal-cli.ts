/**
 * The Temporal CLI dev server: found ($TEMPORAL_CLI, then PATH) or built from its
 * Go module into the cache, then started on loopback with a SQLite file.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  findOrBuildGoTool,
  freePort,
  runBuild,
  startProcess,
  waitForPort,
  type ManagedProcess,
} from './process.ts';
import { TEMPORAL_CLI_VERSION } from './versions.ts';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.ts';

/** Returns the path of a Temporal CLI, building the pinned one when none is found. */
export function ensureTemporalCli(cacheDir: string): Promise<string> {
  return findOrBuildGoTool({
    envVar: 'TEMPORAL_CLI',
    onPath: 'temporal',
    target: join(cacheDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal'),
    what: `the Temporal CLI v${TEMPORAL_CLI_VERSION}`,
    goVersion: '1.22',
    instead:
      'put a `temporal` binary on PATH, set TEMPORAL_CLI to one, or set TEMPORAL_ADDRESS to use a running Temporal server',
    build: async (go, staging, hint) => {
      await runBuild(
        'temporal CLI build',
        go,
        ['install', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`],
        {
          env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0', GOFLAGS: '-trimpath' },
          hint,
        },
      );
      return join(staging, 'temporal');
    },
  });
}

/** A running dev server. */
export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  process: ManagedProcess;
}

/** Starts `temporal server start-dev` on loopback and waits until it answers. */
export async function startTemporalDevServer(options: {
  cacheDir: string;
  dataDir: string;
  port?: number;
  uiPort?: number;
  namespace?: string;
}): Promise<TemporalDevServer> {
  const cli = await ensureTemporalCli(options.cacheDir);
  const port = options.port ?? (await freePort());
  const uiPort = options.uiPort ?? (await freePort());
  mkdirSync(options.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--db-filename',
    join(options.dataDir, 'temporal.db'),
    '--namespace',
    options.namespace ?? 'default',
    '--log-level',
    'warn',
    // Search attributes the barrier workflow keeps current for operators.
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => [
      '--search-attribute',
      `${name}=${type}`,
    ]),
  ];
  const proc = startProcess(
    'Temporal dev server',
    cli,
    args,
    join(options.dataDir, 'logs', 'temporal.log'),
  );
  await waitForPort(proc, '127.0.0.1', port, 60_000);
  return { address: `127.0.0.1:${port}`, uiUrl: `http://127.0.0.1:${uiPort}`, process: proc };
}
