/**
 * The worker's fold of the dashboard's deltas into snapshots, every few
 * seconds beside its tasks (the fold itself: store/dashboard-rollups.ts).
 */
import type { Models } from '../store/models.ts';
import { foldDeltas } from '../store/dashboard-rollups.ts';

/**
 * Folds every so often until stopped (the worker runs this beside its
 * tasks). A failed fold is reported and tried again next time.
 */
export function foldEvery(
  models: Models,
  everyMs: number,
  warn: (message: string, meta: Record<string, unknown>) => void,
): { stop(): Promise<void> } {
  let folding: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    folding = folding.then(() =>
      foldDeltas(models).catch((err: unknown) =>
        warn('dashboard totals not folded; trying again', { error: (err as Error).message }),
      ),
    );
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await folding;
    },
  };
}
