/**
 * How every entry point runs (the API, the worker, the scripts): a failure
 * the person at the terminal can act on is one line, anything else its stack;
 * either way the process exits with code 1.
 */
import { PolicyError } from './domain/policy/policy.ts';
import { ConfigError } from './env.ts';

/** A class of error whose message alone says what is wrong and what to do. */
export type ReadableErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs an entry point, turning known failures into one readable line and exit code 1.
 * `readable` names error classes beyond ConfigError and PolicyError to print that way.
 */
export async function runMain(
  name: string,
  main: () => Promise<void>,
  readable: readonly ReadableErrorClass[] = [],
): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (
      err instanceof Error &&
      [ConfigError, PolicyError, ...readable].some((c) => err instanceof c)
    ) {
      console.error(`[${name}] ${err.message}`);
    } else {
      console.error(`[${name}] failed:`, err);
    }
    process.exit(1);
  }
}
