/**
 * Prometheus's promtool, which checks the alert rules in deploy/prometheus and
 * runs their unit tests: found ($PROMTOOL, then PATH) or built from its Go
 * module into the cache. Only the tests use it; nothing runs it in production.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StackError, buildOnce, progress, requireTool, runBuild, which } from './process.ts';
import { PROMTOOL_VERSION } from './versions.ts';

/** Returns the path of a promtool, building the pinned one when none is found. */
export async function ensurePromtool(cacheDir: string): Promise<string> {
  const fromEnv = process.env.PROMTOOL;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new StackError(`PROMTOOL is set to ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const onPath = which('promtool');
  if (onPath) return onPath;

  const dir = join(cacheDir, `promtool-${PROMTOOL_VERSION}`);
  const target = join(dir, 'promtool');
  await buildOnce(target, async () => {
    const go = requireTool(
      'go',
      "Building Prometheus's promtool (to check the alert rules)",
      'Install Go 1.24 or later (Debian: apt-get install golang-go; newer toolchains the module asks for are fetched from the Go module proxy), put a `promtool` binary on PATH, or set PROMTOOL to one.',
    );
    progress(
      `building promtool v${PROMTOOL_VERSION} from its Go module (first run only, several minutes)`,
    );
    const staging = `${dir}.building`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    await runBuild(
      'promtool build',
      go,
      ['install', `github.com/prometheus/prometheus/cmd/promtool@v${PROMTOOL_VERSION}`],
      {
        env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0' },
        hint: 'check that the Go module proxy is reachable (GOPROXY) and there is disk space, or set PROMTOOL.',
      },
    );
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  });
  return target;
}
