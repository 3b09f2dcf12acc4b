/**
 * Reading environment variables with zod: the value schemas every settings
 * file shares (config.ts, temporal.config.ts, the local stack's), and the one
 * readable line a bad value stops start-up with.
 */
import { z } from 'zod';

/** Thrown when the environment does not make a valid configuration. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses `env` with `schema`.
 * @throws {ConfigError} naming each bad variable and the reason, in one line.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const raw = env[name];
    const got = raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`;
    return `${name} ${issue.message}${got}`;
  });
  throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
}

/** A TCP port. */
export const port = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

/** A string that is absent when unset or blank. */
export const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

/** An optional URL whose scheme is one of `protocols` (such as `'https:'`). */
export const url = (protocols: string[]) =>
  optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** A yes/no switch, off unless set to true, 1 or yes. */
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''], { error: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
