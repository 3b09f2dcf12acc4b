/**
 * The application's configuration: one zod schema reads the environment and
 * builds the typed object every process works from, Temporal's part taken
 * from temporal.config.ts. A bad value stops start-up with one readable line
 * naming the variable and what is wrong with it.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { MESSAGE_KINDS } from './domain/notifications/messages.ts';
import { DEFAULT_EMAIL_WINDOW_SECONDS } from './domain/notifications/coalesce.ts';
import { ConfigError, bool, optionalString, parseEnv, port, url } from './env.ts';
import { DEVELOPMENT_SECRET_KEY, parseSecretKey } from './store/webhook-secrets.ts';
import { checkTemporalEnv, temporalConfig, temporalEnvSchema } from './temporal.config.ts';

const DEV_AUTH_SECRET = 'golden-thread-development-secret-do-not-use-in-production';

/**
 * Workflows a worker keeps in memory. The SDK's default grows with the heap
 * limit (2,310 here), and each cached barrier costs about 210 KB: the
 * benchmark's 10,000 held barriers took the worker to 1.2 GiB. With a thousand
 * it used 825 MiB with 3,000 held, against 1,108 MiB at about the default; a
 * barrier that was evicted replays its short history when its next timer fires.
 */
export const DEFAULT_CACHED_WORKFLOWS = 1_000;

/** A metrics listener's port; 0 takes any free one (the process logs which), as the tests do. */
const metricsPort = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 (any free port) and 65535')
  .max(65535, 'must be between 0 (any free port) and 65535');
/** A number of seconds between `min` and `max`. */
const seconds = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number of seconds' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/**
 * The environment variables Golden Thread reads, what each may hold and which
 * go together; its output is the {@link Config}.
 */
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
    ...temporalEnvSchema.shape,
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
    EMAIL_WINDOW_SECONDS: z.coerce
      .number({ error: 'must be a whole number of seconds (0 sends each email at once)' })
      .int('must be a whole number of seconds (0 sends each email at once)')
      .min(0, 'must be 0 or more')
      .max(600, 'must be at most 600 (ten minutes): urgent emails wait this long at most')
      .default(DEFAULT_EMAIL_WINDOW_SECONDS),
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
    RATE_LIMIT_PER_MINUTE: z.coerce
      .number({ error: 'must be a whole number (0 turns the limit off)' })
      .int('must be a whole number (0 turns the limit off)')
      .min(0, 'must be 0 or more')
      .default(1200),
    METRICS_ENABLED: z
      .enum(['true', 'false', '1', '0', 'yes', 'no', ''], { error: 'must be true or false' })
      .optional()
      .transform((v) => !(v === 'false' || v === '0' || v === 'no')),
    METRICS_HOST: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.:-]+$/, 'must be an address to listen on, such as 127.0.0.1 or 0.0.0.0')
      .default('127.0.0.1'),
    METRICS_PORT: metricsPort.default(9464),
    WORKER_METRICS_PORT: metricsPort.default(9465),
    WEBHOOK_SECRET_KEY: optionalString.refine((v) => v === undefined || parseSecretKey(v), {
      message: 'must be 32 random bytes as base64 or 64 hex digits (openssl rand -base64 32)',
    }),
    WEBHOOK_ALLOW_PRIVATE_URLS: bool,
    WEBHOOK_ATTEMPT_TIMEOUT_SECONDS: seconds(1, 120).default(10),
    WEBHOOK_RETRY_FIRST_SECONDS: seconds(0.1, 3600).default(30),
    WEBHOOK_RETRY_MAX_SECONDS: seconds(0.1, 24 * 3600).default(3600),
    WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .default(10),
    WEBHOOK_DISABLE_AFTER_HOURS: z.coerce
      .number({ error: 'must be a number of hours' })
      .min(0, 'must be 0 or more')
      .default(24),
    WEBHOOK_POLL_SECONDS: seconds(0.5, 3600).default(60),
    WEBHOOK_SECRET_OVERLAP_HOURS: z.coerce
      .number({ error: 'must be a number of hours' })
      .min(0, 'must be 0 or more')
      .max(24 * 30, 'must be at most 720 (30 days)')
      .default(24),
    WEBHOOK_LOG_DAYS: z.coerce
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .default(30),
    SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce
      .number({ error: 'must be a whole number (0 turns the limit off)' })
      .int('must be a whole number (0 turns the limit off)')
      .min(0, 'must be 0 or more')
      .default(20),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.AUTH_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SECRET'],
        message: 'must be set in production (at least 32 random characters)',
      });
    }
    if (env.NODE_ENV === 'production' && env.WEBHOOK_SECRET_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_SECRET_KEY'],
        message:
          'must be set in production: it encrypts webhook signing secrets (openssl rand -base64 32)',
      });
    }
    if (env.NODE_ENV === 'production' && env.WEBHOOK_ALLOW_PRIVATE_URLS) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_ALLOW_PRIVATE_URLS'],
        message: 'must not be set in production: webhooks go to https endpoints on the internet',
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
    if (env.WEBHOOK_RETRY_MAX_SECONDS < env.WEBHOOK_RETRY_FIRST_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_RETRY_MAX_SECONDS'],
        message: 'must be at least WEBHOOK_RETRY_FIRST_SECONDS: the longest wait between tries',
      });
    }
    if (env.METRICS_ENABLED && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'must differ from PORT: metrics have a listener of their own',
      });
    }
    checkTemporalEnv(env, ctx);
  })
  .transform((e) => {
    const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
    return {
      env: e.NODE_ENV,
      port: e.PORT,
      logLevel: e.LOG_LEVEL,
      temporal: {
        ...temporalConfig(e),
        /** Open workflows a worker keeps in memory between tasks (the sticky cache). */
        maxCachedWorkflows: e.WORKER_CACHED_WORKFLOWS,
        /** A workflow bundle made ahead (`npm run bundle:workflows`); `undefined`: the worker bundles on start. */
        workflowBundle: e.WORKFLOW_BUNDLE,
      },
      /** `undefined` means: start the local FerretDB (see scripts/). */
      mongodbUri: e.MONGODB_URI,
      smtpUrl: e.SMTP_URL,
      notifyApiKey: e.NOTIFY_API_KEY,
      email: {
        from: e.EMAIL_FROM,
        smtpTlsRejectUnauthorized: e.SMTP_TLS_REJECT_UNAUTHORIZED,
        notifyTemplates: e.NOTIFY_TEMPLATES ?? {},
        notifyBaseUrl: e.NOTIFY_BASE_URL,
        notifyReplyToId: e.NOTIFY_REPLY_TO_ID,
        /** How long a person's barrier emails wait for others to go with them as one (0: none). */
        windowMs: e.EMAIL_WINDOW_SECONDS * 1000,
      },
      slaPolicyFile: e.SLA_POLICY_FILE,
      authSecret: e.AUTH_SECRET ?? DEV_AUTH_SECRET,
      publicBaseUrl,
      /** Sign-in through the organisation's OpenID provider; `undefined`: development sign-in (never in production). */
      oidc:
        e.OIDC_ISSUER && e.OIDC_CLIENT_ID
          ? {
              issuer: e.OIDC_ISSUER,
              clientId: e.OIDC_CLIENT_ID,
              clientSecret: e.OIDC_CLIENT_SECRET,
              /** The `aud` API access tokens must carry (default: the client id). */
              audience: e.OIDC_AUDIENCE ?? e.OIDC_CLIENT_ID,
              /** The claim that carries a person's email (default `email`). */
              emailClaim: e.OIDC_EMAIL_CLAIM,
              /** Where the provider sends people back: PUBLIC_BASE_URL + /sign-in/callback. */
              redirectUri: `${publicBaseUrl}/sign-in/callback`,
            }
          : undefined,
      /** How long a page session lasts: idle, and at most. */
      sessions: { idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS },
      /** Requests a minute per client on the API and pages, and sign-in attempts a minute per address (0: off). */
      rateLimits: {
        perMinute: e.RATE_LIMIT_PER_MINUTE,
        signInPerMinute: e.SIGN_IN_RATE_LIMIT_PER_MINUTE,
      },
      /**
       * Prometheus metrics, on a listener apart from the site (loopback unless
       * METRICS_HOST says otherwise): the API (and `npm start`) on `port`, a
       * worker process on `workerPort`. Off: nothing counted, nothing served.
       */
      metrics: {
        enabled: e.METRICS_ENABLED,
        host: e.METRICS_HOST,
        port: e.METRICS_PORT,
        workerPort: e.WORKER_METRICS_PORT,
      },
      /** Webhook signing, delivery, retries and the delivery log (README: Webhooks). */
      webhooks: {
        secretKey: e.WEBHOOK_SECRET_KEY
          ? parseSecretKey(e.WEBHOOK_SECRET_KEY)!
          : DEVELOPMENT_SECRET_KEY,
        allowPrivate: e.WEBHOOK_ALLOW_PRIVATE_URLS,
        settings: {
          attemptTimeoutMs: Math.round(e.WEBHOOK_ATTEMPT_TIMEOUT_SECONDS * 1000),
          retryFirstMs: Math.round(e.WEBHOOK_RETRY_FIRST_SECONDS * 1000),
          retryMaxMs: Math.round(e.WEBHOOK_RETRY_MAX_SECONDS * 1000),
          disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
          disableAfterMs: Math.round(e.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000),
          pollMs: Math.round(e.WEBHOOK_POLL_SECONDS * 1000),
        },
        secretOverlapMs: Math.round(e.WEBHOOK_SECRET_OVERLAP_HOURS * 3_600_000),
        retentionMs: e.WEBHOOK_LOG_DAYS * 24 * 3_600_000,
      },
    };
  });

/** The typed configuration every process works from. */
export type Config = z.output<typeof envSchema>;

/** Sign-in through the organisation's OpenID provider. */
export type OidcConfig = NonNullable<Config['oidc']>;

/**
 * Parses the environment into a {@link Config}.
 * @throws {ConfigError} naming each bad variable and the reason, in one line.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return parseEnv(envSchema, env);
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
