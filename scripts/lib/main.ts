/** Helpers for the project's entry points: readable fatal errors, required servers. */
import type { Config } from '../../config.ts';
import { ConfigError } from '../../env.ts';
import { PolicyError } from '../../domain/policy/policy.ts';
import { StackError } from '../servers/process.ts';

/** Runs an entry point, turning known failures into one readable line and exit code 1. */
export async function runMain(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StackError || err instanceof PolicyError) {
      console.error(`[${name}] ${err.message}`);
    } else {
      console.error(`[${name}] failed:`, err);
    }
    process.exit(1);
  }
}

/** Refuses to go on when any of these variables is unset, naming them. */
function refuseMissing(missing: readonly (string | null)[]): void {
  const named = missing.filter(Boolean);
  if (named.length > 0) {
    throw new ConfigError(
      `${named.join(' and ')} must be set for this process (run \`npm start\` for the whole local stack, or \`npm run stack\` and copy the variables it prints)`,
    );
  }
}

/** The external servers a worker or API process needs, or a ConfigError saying which to set. */
export function requireServers(config: Config): { temporalAddress: string; mongodbUri: string } {
  refuseMissing([
    config.temporal.address ? null : 'TEMPORAL_ADDRESS',
    config.mongodbUri ? null : 'MONGODB_URI',
  ]);
  return { temporalAddress: config.temporal.address!, mongodbUri: config.mongodbUri! };
}

/** The database alone, for a process that needs no Temporal, or a ConfigError saying to set it. */
export function requireDatabase(config: Config): string {
  refuseMissing([config.mongodbUri ? null : 'MONGODB_URI']);
  return config.mongodbUri!;
}
