/**
 * One zod-validated configuration for every Golden Thread process.
 *
 * Environment in, typed object out. A bad value stops start-up with one
 * readable line naming the variable and what is wrong with it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { MESSAGE_KINDS, type MessageKind } from './domain/notifications/messages.ts';

const DEV_AUTH_SECRET = 'golden-thread-development-secret-do-not-use-in-production';

const port = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const url = (protocols: string[]) =>
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

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''], { error: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Workflows a worker keeps in memory. The SDK's default grows with the heap
 * limit (2,310 here), and each cached barrier costs about 210 KB: the
 * benchmark's 10,000 held barriers took the worker to 1.2 GiB. With a thousand
 * it used 825 MiB with 3,000 held, against 1,108 MiB at about the default; a
 * barrier that was evicted replays its short history when its next timer fires.
 */
export const DEFAULT_CACHED_WORKFLOWS = 1_000;

/** The environment variables Golden Thread reads, and what each may hold. */
export const envSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'test', 'production'], {
        error: 'must be development, test or production',
      })
      .default('development'),
    PORT: port.default(3000),
    LOG_LEVEL: z
      .enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' })
      .default('info'),
    TEMPORAL_ADDRESS: optionalString.refine((v) => v === undefined || /^[^\s:]+:\d+$/.test(v), {
      message: 'must be host:port, for example 127.0.0.1:7233',
    }),
    TEMPORAL_NAMESPACE: z.string().trim().min(1, 'must not be empty').default('default'),
    TEMPORAL_TASK_QUEUE: z.string().trim().min(1, 'must not be empty').default('golden-thread'),
    TEMPORAL_TLS: bool,
    TEMPORAL_TLS_CERT_PATH: optionalString,
    TEMPORAL_TLS_KEY_PATH: optionalString,
    TEMPORAL_API_KEY: optionalString,
    WORKER_CACHED_WORKFLOWS: z.coerce
      .number({ error: 'must be a whole number (0 turns the cache off)' })
      .int('must be a whole number (0 turns the cache off)')
      .refine((n) => n === 0 || n >= 2, { message: 'must be 0 (no cache) or at least 2' })
      .default(DEFAULT_CACHED_WORKFLOWS),
    WORKFLOW_BUNDLE: optionalString.refine((v) => v === undefined || existsSync(v), {
      message: 'must name a workflow bundle file (make one with npm run bundle:workflows)',
    }),
    MONGODB_URI: url(['mongodb:', 'mongodb+srv:']),
    SMTP_URL: url(['smtp:', 'smtps:']),
    SMTP_TLS_REJECT_UNAUTHORIZED: z
      .enum(['true', 'false', '1', '0', 'yes', 'no', ''], { error: 'must be true or false' })
      .optional()
      .transform((v) => !(v === 'false' || v === '0' || v === 'no')),
    EMAIL_FROM: z
      .string()
      .trim()
      .min(3, 'must be an address such as "Golden Thread <golden-thread@example.org>"')
      .default('Golden Thread <golden-thread@example.org>'),
    NOTIFY_API_KEY: optionalString.refine((v) => v === undefined || v.length >= 74, {
      message: 'must be a GOV.UK Notify API key (name-serviceId-secret)',
    }),
    NOTIFY_TEMPLATES: optionalString.transform((v, ctx) => {
      if (v === undefined) return undefined;
      try {
        const parsed = z
          .partialRecord(z.enum(MESSAGE_KINDS), z.string().trim().min(1))
          .parse(JSON.parse(v));
        return parsed;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `must be a JSON object of template ids by kind (${MESSAGE_KINDS.join(', ')})`,
        });
        return z.NEVER;
      }
    }),
    NOTIFY_BASE_URL: url(['http:', 'https:']),
    NOTIFY_REPLY_TO_ID: optionalString,
    SLA_POLICY_FILE: optionalString,
    AUTH_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: 'must be at least 32 characters',
    }),
    PUBLIC_BASE_URL: url(['http:', 'https:']),
    OIDC_ISSUER: url(['http:', 'https:']),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_AUDIENCE: optionalString,
    OIDC_EMAIL_CLAIM: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_:./-]+$/, 'must be a claim name such as email or preferred_username')
      .default('email'),
    SESSION_IDLE_MINUTES: z.coerce
      .number({ error: 'must be a whole number of minutes' })
      .int('must be a whole number of minutes')
      .min(1, 'must be at least 1')
      .max(24 * 60, 'must be at most 1440 (a day)')
      .default(60),
    SESSION_MAX_HOURS: z.coerce
      .number({ error: 'must be a whole number of hours' })
      .int('must be a whole number of hours')
      .min(1, 'must be at least 1')
      .max(24 * 7, 'must be at most 168 (a week)')
      .default(10),
    GOLDEN_THREAD_DATA_DIR: optionalString,
    RATE_LIMIT_PER_MINUTE: z.coerce
      .number({ error: 'must be a whole number (0 turns the limit off)' })
      .int('must be a whole number (0 turns the limit off)')
      .min(0, 'must be 0 or more')
      .default(1200),
    SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce
      .number({ error: 'must be a whole number (0 turns the limit off)' })
      .int('must be a whole number (0 turns the limit off)')
      .min(0, 'must be 0 or more')
      .default(20),
    LOCAL_TEMPORAL_PORT: port.default(7233),
    LOCAL_TEMPORAL_UI_PORT: port.default(8233),
    LOCAL_MONGODB_PORT: port.default(27017),
    LOCAL_DATABASE: z
      .enum(['postgresql', 'sqlite'], { error: 'must be postgresql or sqlite' })
      .default('postgresql'),
    GOLDEN_THREAD_CACHE: optionalString,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.AUTH_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SECRET'],
        message: 'must be set in production (at least 32 random characters)',
      });
    }
    if (env.OIDC_ISSUER !== undefined && env.OIDC_CLIENT_ID === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_CLIENT_ID'],
        message: 'must be set with OIDC_ISSUER (the client id registered with your provider)',
      });
    }
    if (env.OIDC_ISSUER === undefined && env.OIDC_CLIENT_ID !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_ISSUER'],
        message: "must be set with OIDC_CLIENT_ID (your provider's issuer URL)",
      });
    }
    if (env.NODE_ENV === 'production') {
      if (env.OIDC_ISSUER === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['OIDC_ISSUER'],
          message:
            'must be set in production: people sign in through their organisation (development sign-in and tokens are off there)',
        });
      } else if (new URL(env.OIDC_ISSUER).protocol !== 'https:') {
        ctx.addIssue({
          code: 'custom',
          path: ['OIDC_ISSUER'],
          message: 'must be an https:// URL in production',
        });
      }
      if (env.OIDC_ISSUER !== undefined && env.OIDC_CLIENT_SECRET === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['OIDC_CLIENT_SECRET'],
          message:
            'must be set in production (the secret of the client registered with your provider)',
        });
      }
    }
    if (env.NOTIFY_API_KEY !== undefined) {
      const missing = MESSAGE_KINDS.filter((k) => !env.NOTIFY_TEMPLATES?.[k]);
      if (missing.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['NOTIFY_TEMPLATES'],
          message: `must name a GOV.UK Notify template for every kind; missing ${missing.join(', ')}`,
        });
      }
    }
    if (
      env.NODE_ENV === 'production' &&
      env.SMTP_URL === undefined &&
      env.NOTIFY_API_KEY === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message: 'or NOTIFY_API_KEY must be set in production: emails need a transport',
      });
    }
    if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_TLS_KEY_PATH'],
        message:
          'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together: set both or neither',
      });
    }
  });

/** The typed configuration every process works from. */
export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  temporal: {
    /** `undefined` means: start the local dev server (see scripts/). */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    tls: boolean;
    tlsCertPath: string | undefined;
    tlsKeyPath: string | undefined;
    apiKey: string | undefined;
    /** Open workflows a worker keeps in memory between tasks (the sticky cache). */
    maxCachedWorkflows: number;
    /** A workflow bundle made ahead (`npm run bundle:workflows`); `undefined`: the worker bundles on start. */
    workflowBundle: string | undefined;
  };
  /** `undefined` means: start the local FerretDB (see scripts/). */
  mongodbUri: string | undefined;
  smtpUrl: string | undefined;
  notifyApiKey: string | undefined;
  email: {
    from: string;
    smtpTlsRejectUnauthorized: boolean;
    notifyTemplates: Partial<Record<MessageKind, string>>;
    notifyBaseUrl: string | undefined;
    notifyReplyToId: string | undefined;
  };
  slaPolicyFile: string | undefined;
  authSecret: string;
  publicBaseUrl: string;
  /** Sign-in through the organisation's OpenID provider; `undefined`: development sign-in (never in production). */
  oidc: OidcConfig | undefined;
  /** How long a page session lasts: idle, and at most. */
  sessions: { idleMinutes: number; maxHours: number };
  /** Requests a minute per client on the API and pages, and sign-in attempts a minute per address (0: off). */
  rateLimits: { perMinute: number; signInPerMinute: number };
  dataDir: string;
  cacheDir: string;
  /** Ports `npm start` / `npm run stack` use for the servers they start. */
  local: {
    temporalPort: number;
    temporalUiPort: number;
    mongodbPort: number;
    /** The embedded database's backend: FerretDB on PostgreSQL (default) or on SQLite. */
    database: 'postgresql' | 'sqlite';
  };
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  /** The `aud` API access tokens must carry (default: the client id). */
  audience: string;
  /** The claim that carries a person's email (default `email`). */
  emailClaim: string;
  /** Where the provider sends people back: PUBLIC_BASE_URL + /sign-in/callback. */
  redirectUri: string;
}

/** Thrown when the environment does not make a valid configuration. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment into a {@link Config}.
 * @throws {ConfigError} naming the first bad variable and the reason, in one line.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const raw = env[name];
      const got = raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`;
      return `${name} ${issue.message}${got}`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tls: e.TEMPORAL_TLS || Boolean(e.TEMPORAL_TLS_CERT_PATH) || Boolean(e.TEMPORAL_API_KEY),
      tlsCertPath: e.TEMPORAL_TLS_CERT_PATH,
      tlsKeyPath: e.TEMPORAL_TLS_KEY_PATH,
      apiKey: e.TEMPORAL_API_KEY,
      maxCachedWorkflows: e.WORKER_CACHED_WORKFLOWS,
      workflowBundle: e.WORKFLOW_BUNDLE,
    },
    mongodbUri: e.MONGODB_URI,
    smtpUrl: e.SMTP_URL,
    notifyApiKey: e.NOTIFY_API_KEY,
    email: {
      from: e.EMAIL_FROM,
      smtpTlsRejectUnauthorized: e.SMTP_TLS_REJECT_UNAUTHORIZED,
      notifyTemplates: e.NOTIFY_TEMPLATES ?? {},
      notifyBaseUrl: e.NOTIFY_BASE_URL,
      notifyReplyToId: e.NOTIFY_REPLY_TO_ID,
    },
    slaPolicyFile: e.SLA_POLICY_FILE,
    authSecret: e.AUTH_SECRET ?? DEV_AUTH_SECRET,
    publicBaseUrl,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            audience: e.OIDC_AUDIENCE ?? e.OIDC_CLIENT_ID,
            emailClaim: e.OIDC_EMAIL_CLAIM,
            redirectUri: `${publicBaseUrl}/sign-in/callback`,
          }
        : undefined,
    sessions: { idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS },
    rateLimits: {
      perMinute: e.RATE_LIMIT_PER_MINUTE,
      signInPerMinute: e.SIGN_IN_RATE_LIMIT_PER_MINUTE,
    },
    dataDir: resolve(e.GOLDEN_THREAD_DATA_DIR ?? 'data'),
    cacheDir: resolve(e.GOLDEN_THREAD_CACHE ?? resolve(homedir(), '.cache', 'golden-thread')),
    local: {
      temporalPort: e.LOCAL_TEMPORAL_PORT,
      temporalUiPort: e.LOCAL_TEMPORAL_UI_PORT,
      mongodbPort: e.LOCAL_MONGODB_PORT,
      database: e.LOCAL_DATABASE,
    },
  };
}

/** Connection options for @temporalio/client's Connection and the worker's NativeConnection. */
export function temporalConnectionOptions(config: Config, address: string) {
  const { tls, tlsCertPath, tlsKeyPath, apiKey } = config.temporal;
  return {
    address,
    apiKey,
    tls: tls
      ? tlsCertPath && tlsKeyPath
        ? { clientCertPair: { crt: readFileSync(tlsCertPath), key: readFileSync(tlsKeyPath) } }
        : true
      : undefined,
  };
}
