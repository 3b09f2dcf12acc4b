/**
 * Schemathesis (PyPI), the outside client that fuzzes the API from its own
 * OpenAPI document: installed with pip into a virtual environment in the
 * cache, pinned, on first use.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce, progress, requireTool, runBuild } from './process.ts';
import { SCHEMATHESIS_VERSION } from './versions.ts';

/** Returns the path of the `schemathesis` command, installing it when not cached. */
export async function ensureSchemathesis(cacheDir: string): Promise<string> {
  const dir = join(cacheDir, `schemathesis-${SCHEMATHESIS_VERSION}`);
  const command = join(dir, 'bin', 'schemathesis');
  // A venv cannot be moved once made (its scripts name their interpreter's path), so
  // it is made in place and a marker beside it says the install finished.
  const installed = `${dir}.installed`;
  await buildOnce(installed, async () => {
    const python = requireTool(
      'python3',
      'Schemathesis (the API fuzzer in the test suite)',
      'Install Python 3.9+ with venv (Debian: apt-get install python3 python3-venv).',
    );
    progress(`installing Schemathesis ${SCHEMATHESIS_VERSION} from PyPI (first run only)`);
    rmSync(dir, { recursive: true, force: true });
    await runBuild('schemathesis venv', python, ['-m', 'venv', dir], {
      hint: 'Python needs its venv module (Debian: apt-get install python3-venv).',
    });
    await runBuild(
      'schemathesis install',
      join(dir, 'bin', 'pip'),
      ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`],
      { hint: 'check that PyPI is reachable (pip config list shows any index or proxy).' },
    );
    writeFileSync(installed, `schemathesis ${SCHEMATHESIS_VERSION}\n`);
  });
  return command;
}
