/**
 * How a long-lived workflow takes turns: updates, signals and timers each run
 * to completion (activities included) before the next begins, so events are
 * recorded and projected in order; side work (emails) runs beside the turns
 * without holding them up; `settle` lets everything finish before the run ends.
 */
import { allHandlersFinished, condition, log } from '@temporalio/workflow';

export interface Turns {
  /** Runs `fn` after every earlier turn has finished. */
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Starts work that must finish before the run ends but must not block turns. */
  beside: (work: Promise<unknown>, what: string) => void;
  /** Waits for handlers, side work and the current turn. */
  settle: () => Promise<void>;
}

export function createTurns(): Turns {
  let turn: Promise<unknown> = Promise.resolve();
  const inflight = new Set<Promise<void>>();
  return {
    exclusive: <T>(fn: () => Promise<T>): Promise<T> => {
      const run = turn.then(fn);
      turn = run.catch(() => undefined);
      return run;
    },
    beside: (work, what) => {
      const p: Promise<void> = work
        .then(() => undefined)
        .catch((err: unknown) => log.error(`${what} failed`, { error: String(err) }))
        .finally(() => inflight.delete(p));
      inflight.add(p);
    },
    settle: async () => {
      await condition(allHandlersFinished);
      while (inflight.size > 0) await Promise.all([...inflight]);
      await turn;
    },
  };
}
