/**
 * Prometheus's promtool, which checks the alert rules in deploy/prometheus and
 * runs their unit tests: found ($PROMTOOL, then PATH) or built from its Go
 * module into the cache. Only the tests use it; nothing runs it in production.
 */
import { join } from 'node:path';
import { findOrBuildGoTool, runBuild } from './process.ts';
import { PROMTOOL_VERSION } from './versions.ts';

/** Returns the path of a promtool, building the pinned one when none is found. */
export function ensurePromtool(cacheDir: string): Promise<string> {
  return findOrBuildGoTool({
    envVar: 'PROMTOOL',
    onPath: 'promtool',
    target: join(cacheDir, `promtool-${PROMTOOL_VERSION}`, 'promtool'),
    what: `Prometheus's promtool v${PROMTOOL_VERSION}`,
    why: 'to check the alert rules',
    goVersion: '1.24',
    instead: 'put a `promtool` binary on PATH, or set PROMTOOL to one',
    build: async (go, staging, hint) => {
      await runBuild(
        'promtool build',
        go,
        ['install', `github.com/prometheus/prometheus/cmd/promtool@v${PROMTOOL_VERSION}`],
        {
          env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0' },
          hint,
        },
      );
      return join(staging, 'promtool');
    },
  });
}
