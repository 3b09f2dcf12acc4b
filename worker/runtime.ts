/** The Temporal core runtime's logging, for tools that drive many workflows (tests, benchmarks). */
import { Runtime } from '@temporalio/worker';

let runtimeQuietened = false;

/** Keeps the Temporal core's logs to errors so a tool's own output stays readable. Once per process. */
export function quietTemporalRuntime(): void {
  if (runtimeQuietened) return;
  runtimeQuietened = true;
  Runtime.install({
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (m: string, meta?: Record<string, unknown>) => console.error(m, meta ?? ''),
    },
  });
}
