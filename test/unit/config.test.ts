import { describe, expect, it } from 'vitest';
import { envSchema, loadConfig } from '../../config.ts';
import { ConfigError } from '../../env.ts';
import { loadLocalStackConfig } from '../../scripts/lib/local-stack-config.ts';

describe('loadConfig', () => {
  it('gives working defaults for local development', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.temporal).toMatchObject({
      address: undefined,
      namespace: 'default',
      taskQueue: 'golden-thread',
      tls: false,
      maxCachedWorkflows: 1000,
      workflowBundle: undefined,
    });
    expect(c.mongodbUri).toBeUndefined();
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    // A person's emails wait a minute for others that happen with them.
    expect(c.email.windowMs).toBe(60_000);
    expect(loadLocalStackConfig({}).cacheDir).toMatch(/\.cache\/golden-thread$/);
  });

  it('reads every variable', () => {
    const env = {
      PORT: '8080',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'gm',
      TEMPORAL_TASK_QUEUE: 'gt',
      MONGODB_URI: 'mongodb://db:27017/gt',
      SMTP_URL: 'smtp://relay:25',
      AUTH_SECRET: 'x'.repeat(40),
      PUBLIC_BASE_URL: 'https://gt.example.org/',
      GOLDEN_THREAD_CACHE: '/tmp/gtc',
      WORKER_CACHED_WORKFLOWS: '250',
      WORKFLOW_BUNDLE: 'package.json',
      EMAIL_WINDOW_SECONDS: '0',
    };
    const c = loadConfig(env);
    expect(c.email.windowMs).toBe(0);
    expect(c).toMatchObject({
      port: 8080,
      temporal: {
        address: 'temporal.internal:7233',
        namespace: 'gm',
        taskQueue: 'gt',
        maxCachedWorkflows: 250,
        workflowBundle: 'package.json',
      },
      mongodbUri: 'mongodb://db:27017/gt',
      smtpUrl: 'smtp://relay:25',
      authSecret: 'x'.repeat(40),
      publicBaseUrl: 'https://gt.example.org',
    });
    expect(loadLocalStackConfig(env)).toMatchObject({ cacheDir: '/tmp/gtc' });
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be a whole number \(got "abc"\)$/],
    [{ PORT: '70000' }, /PORT must be between 1 and 65535/],
    [{ TEMPORAL_ADDRESS: 'localhost' }, /TEMPORAL_ADDRESS must be host:port/],
    [
      { MONGODB_URI: 'postgres://x' },
      /MONGODB_URI must be a URL starting with mongodb:\/\/ or mongodb\+srv:\/\//,
    ],
    [{ AUTH_SECRET: 'short' }, /AUTH_SECRET must be at least 32 characters/],
    [
      { WORKER_CACHED_WORKFLOWS: '1' },
      /WORKER_CACHED_WORKFLOWS must be 0 \(no cache\) or at least 2/,
    ],
    [{ WORKER_CACHED_WORKFLOWS: 'lots' }, /WORKER_CACHED_WORKFLOWS must be a whole number/],
    [{ EMAIL_WINDOW_SECONDS: '601' }, /EMAIL_WINDOW_SECONDS must be at most 600/],
    [{ EMAIL_WINDOW_SECONDS: '1.5' }, /EMAIL_WINDOW_SECONDS must be a whole number of seconds/],
    [
      { WEBHOOK_RETRY_MAX_SECONDS: '10' },
      /WEBHOOK_RETRY_MAX_SECONDS must be at least WEBHOOK_RETRY_FIRST_SECONDS/,
    ],
    [
      { WORKFLOW_BUNDLE: 'dist/no-such-bundle.js' },
      /WORKFLOW_BUNDLE must name a workflow bundle file \(make one with npm run bundle:workflows\) \(got "dist\/no-such-bundle.js"\)/,
    ],
    [{ NODE_ENV: 'production' }, /AUTH_SECRET must be set in production/],
    [
      { NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32) },
      /SMTP_URL or NOTIFY_API_KEY must be set in production/,
    ],
    [
      { NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32), SMTP_URL: 'smtp://relay:25' },
      /OIDC_ISSUER must be set in production: people sign in through their organisation/,
    ],
    [
      {
        NODE_ENV: 'production',
        AUTH_SECRET: 'x'.repeat(32),
        SMTP_URL: 'smtp://relay:25',
        OIDC_ISSUER: 'http://login.example.org',
        OIDC_CLIENT_ID: 'gt',
        OIDC_CLIENT_SECRET: 's',
      },
      /OIDC_ISSUER must be an https:\/\/ URL in production/,
    ],
    [
      { OIDC_ISSUER: 'https://login.example.org/tenant/v2.0' },
      /OIDC_CLIENT_ID must be set with OIDC_ISSUER/,
    ],
    [{ OIDC_ISSUER: 'login.example.org', OIDC_CLIENT_ID: 'gt' }, /OIDC_ISSUER must be a URL/],
    [{ OIDC_EMAIL_CLAIM: 'e mail' }, /OIDC_EMAIL_CLAIM must be a claim name/],
    [{ SESSION_IDLE_MINUTES: '0' }, /SESSION_IDLE_MINUTES must be at least 1/],
    [
      { NOTIFY_TEMPLATES: '{"assigned": 1}' },
      /NOTIFY_TEMPLATES must be a JSON object of template ids/,
    ],
    [
      {
        NOTIFY_API_KEY: `gt-${'a'.repeat(36)}-${'b'.repeat(36)}`,
        NOTIFY_TEMPLATES: '{"assigned":"t1"}',
      },
      /NOTIFY_TEMPLATES must name a GOV.UK Notify template for every kind; missing warning, breached/,
    ],
    [
      { SMTP_TLS_REJECT_UNAUTHORIZED: 'maybe' },
      /SMTP_TLS_REJECT_UNAUTHORIZED must be true or false/,
    ],
    [
      { TEMPORAL_TLS_CERT_PATH: '/c.pem' },
      /TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together/,
    ],
  ])('stops on %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('exports the schema for other tools', () => {
    expect(envSchema.safeParse({ PORT: '1' }).success).toBe(true);
  });
});
