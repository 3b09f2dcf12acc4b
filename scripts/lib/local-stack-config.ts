/**
 * Settings only the local stack reads (`npm start`, `npm run stack`, the test
 * and bench set-ups): the ports of the servers it starts, the embedded
 * database's backend, and where data and built binaries live.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { optionalString, parseEnv, port } from '../../env.ts';

/** The local stack's environment variables, what each may hold; its output is the {@link LocalStackConfig}. */
export const localStackEnvSchema = z
  .object({
    LOCAL_TEMPORAL_PORT: port.default(7233),
    LOCAL_TEMPORAL_UI_PORT: port.default(8233),
    LOCAL_MONGODB_PORT: port.default(27017),
    LOCAL_DATABASE: z
      .enum(['postgresql', 'sqlite'], { error: 'must be postgresql or sqlite' })
      .default('postgresql'),
    GOLDEN_THREAD_DATA_DIR: optionalString,
    GOLDEN_THREAD_CACHE: optionalString,
  })
  .transform((e) => ({
    /** Ports for the servers `npm start` / `npm run stack` start. */
    temporalPort: e.LOCAL_TEMPORAL_PORT,
    temporalUiPort: e.LOCAL_TEMPORAL_UI_PORT,
    mongodbPort: e.LOCAL_MONGODB_PORT,
    /** The embedded database's backend: FerretDB on PostgreSQL (default) or on SQLite. */
    database: e.LOCAL_DATABASE,
    /** The local servers' data and logs. */
    dataDir: resolve(e.GOLDEN_THREAD_DATA_DIR ?? 'data'),
    /** Servers built or downloaded once, outside the repository. */
    cacheDir: resolve(e.GOLDEN_THREAD_CACHE ?? resolve(homedir(), '.cache', 'golden-thread')),
  }));

/** The local stack's settings. */
export type LocalStackConfig = z.output<typeof localStackEnvSchema>;

/**
 * Parses the environment into a {@link LocalStackConfig}.
 * @throws {ConfigError} naming each bad variable and the reason, in one line.
 */
export function loadLocalStackConfig(
  env: Record<string, string | undefined> = process.env,
): LocalStackConfig {
  return parseEnv(localStackEnvSchema, env);
}
