/**
 * A small structured logger: JSON lines to stdout, levels from config, each
 * line with the request id, the workflow and activity, or the trace it was
 * written in (observability/tracing/log-context.ts). Never pass it secrets.
 */
import { currentLogFields } from '../observability/tracing/log-context.ts';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const ORDER = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type Level = keyof typeof ORDER;

export function createLogger(
  name: string,
  level: Level = 'info',
  write: (line: string) => void = (l) => process.stdout.write(l),
): Logger {
  const log =
    (l: Level) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[l] < ORDER[level]) return;
      write(
        `${JSON.stringify({
          time: new Date().toISOString(),
          level: l,
          name,
          msg,
          ...currentLogFields(),
          ...fields,
        })}\n`,
      );
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
