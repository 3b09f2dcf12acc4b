/**
 * `npm run bench [-- --quick | --scale large] [--database postgresql] [--only …] [--profile]`:
 * Golden Thread against the raw engine it stands on, each figure measured in
 * one run beside its ceiling on the same servers and reported as a ratio as
 * well as absolute numbers.
 *
 * lib/harness.ts starts what the sections run against (see there); each
 * section is a file in sections/. Results: bench/results/<time>.json,
 * latest.md and latest.svg. No test asserts a time; this is where speed is shown.
 */
import { fileURLToPath } from 'node:url';
import { runScript } from '../scripts/lib/run-script.ts';
import { quietTemporalRuntime } from '../worker/runtime.ts';
import { say, startHarness } from './lib/harness.ts';
import { USAGE, UsageError, parseBenchOptions, type BenchOptions } from './lib/options.ts';
import { writeReport } from './lib/report.ts';
import { measureApiLatency } from './sections/api-latency.ts';
import { measureHorizontal } from './sections/horizontal.ts';
import { measureImport } from './sections/import.ts';
import { measureEscalationLag } from './sections/lag.ts';
import { measureLifecycle, type LifecycleRuns } from './sections/lifecycle.ts';
import { measureScale } from './sections/scale.ts';
import { measureWebhooks } from './sections/webhooks.ts';
import { measureObservability } from './sections/observability.ts';

let options: BenchOptions;
try {
  options = parseBenchOptions(
    process.argv.slice(2),
    fileURLToPath(new URL('./results/', import.meta.url)),
  );
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`[bench] ${err.message}\n${USAGE}`);
  process.exit(2);
}
const runs = (section: Parameters<typeof options.only.has>[0]) => options.only.has(section);
const sizes = options.sizes;

await runScript('bench', async () => {
  const benchStart = performance.now();
  quietTemporalRuntime();
  const h = await startHarness(options);
  try {
    say('1/8 lifecycle throughput against raw workflows');
    await h.warmUp();
    let lifecycle: LifecycleRuns | undefined;
    if (runs('lifecycle')) lifecycle = await measureLifecycle(h);
    if (runs('api')) {
      say(`2/8 API latency with ${sizes.store} barriers in the store`);
      await measureApiLatency(h, lifecycle!);
    }
    if (runs('lag')) {
      say('3/8 escalation lag');
      await measureEscalationLag(h);
    }
    if (runs('scale')) {
      say(`4/8 scale: holding ${sizes.held} open barriers`);
      await measureScale(h);
    }
    if (runs('horizontal')) {
      say('5/8 horizontal: two workers on the same task queue');
      await measureHorizontal(h, lifecycle!);
    }
    if (runs('import')) {
      say(`6/8 import: a barrier log of ${sizes.importRows} rows, the worker killed midway`);
      await measureImport(h, lifecycle!);
    }
    if (runs('webhooks')) {
      say('7/8 webhooks: cost to an action, and deliveries a second');
      await measureWebhooks(h);
    }
    if (runs('observability')) {
      say('8/8 observability: what metrics and tracing (100 %) cost the lifecycle and the list');
      await measureObservability(h);
    }
    h.result.elapsedS = Math.round((performance.now() - benchStart) / 1000);
    say(`finished in ${h.result.elapsedS} s; results: ${writeReport(h.result).join(', ')}`);
  } finally {
    await h.stop();
  }
});
