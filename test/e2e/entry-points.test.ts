/**
 * The operator entry points as real processes against the servers the
 * environment names: `npm run worker`, `npm run api`, `npm run token`; bad
 * configuration stops start-up with one line naming the problem; SIGTERM
 * drains both.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { verifyToken } from '../../auth/tokens.ts';
import { freePort } from '../../scripts/servers/process.ts';
import { localityLead } from '../support/people.ts';
import { runScript as run, until } from '../support/processes.ts';

const SECRET = 'entry-points-test-secret-0123456789abcdef';
describe('entry points', () => {
  it('npm run worker (from a bundle made by npm run bundle:workflows) and npm run api serve against TEMPORAL_ADDRESS and MONGODB_URI, and drain on SIGTERM', async () => {
    const port = await freePort();
    const env = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      MONGODB_URI: `${inject('mongodbUri')}gt-entry-${port}`,
      TEMPORAL_TASK_QUEUE: `gt-entry-${port}`,
      AUTH_SECRET: SECRET,
      PORT: String(port),
    };
    execFileSync('node_modules/.bin/tsx', ['scripts/seed.ts'], { env: { ...process.env, ...env } });
    const bundle = join(mkdtempSync(join(tmpdir(), 'gt-bundle-')), 'workflows.js');
    const bundled = execFileSync('node_modules/.bin/tsx', ['scripts/bundle-workflows.ts', bundle]);
    expect(bundled.toString()).toContain(`start workers with WORKFLOW_BUNDLE=${bundle}`);
    const worker = run('worker/main.ts', { ...env, WORKFLOW_BUNDLE: bundle });
    const api = run('server/main.ts', env);
    await until('worker', () => worker.output().includes('polling task queue'));
    expect(worker.output()).toContain(`workflows from the bundle ${bundle}`);
    await until(
      'api',
      async () =>
        (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200,
    );

    const token = execFileSync(
      'node_modules/.bin/tsx',
      [
        'scripts/token.ts',
        '--role',
        'locality-lead',
        '--locality',
        'wigan',
        '--email',
        localityLead('wigan').sub,
      ],
      {
        env: { ...process.env, AUTH_SECRET: SECRET },
      },
    )
      .toString()
      .trim();
    // The same command is refused in production, whatever else is set.
    const refused = spawnSync(
      'node_modules/.bin/tsx',
      ['scripts/token.ts', '--role', 'admin', '--email', 'a@example.org'],
      { env: { ...process.env, AUTH_SECRET: SECRET, NODE_ENV: 'production' } },
    );
    expect(refused.status).toBe(2);
    expect(refused.stdout.toString()).toBe('');
    expect(refused.stderr.toString()).toMatch(/development tokens are refused in production/);
    expect(await verifyToken(SECRET, token)).toEqual({
      email: localityLead('wigan').sub,
      actingAs: 'locality-lead',
    });

    const res = await fetch(`http://127.0.0.1:${port}/api/v1/barriers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Through the processes',
        description: 'd',
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'digital',
      }),
    });
    if (res.status !== 201) console.log(api.output(), worker.output());
    expect(res.status).toBe(201);
    expect(((await res.json()) as { stage: string }).stage).toBe('neighbourhood');

    // SIGTERM with a request in flight: it finishes, new connections are refused,
    // and the process exits within a bound.
    const inFlight = fetch(`http://127.0.0.1:${port}/api/v1/barriers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'In flight at SIGTERM',
        description: 'd',
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'digital',
      }),
    });
    await new Promise((r) => setTimeout(r, 30));
    const stopping = Date.now();
    api.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(201);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(await api.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(15_000);
    const workerStopping = Date.now();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(Date.now() - workerStopping).toBeLessThan(20_000);
    expect(api.output()).toContain('"msg":"stopped"');
    expect(worker.output()).toContain('[worker] stopped');
    expect(api.output()).not.toContain(token);
  }, 120_000);

  it('a bad variable stops start-up with one line naming it', async () => {
    const api = run('server/main.ts', {
      PORT: 'eighty',
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      MONGODB_URI: 'mongodb://127.0.0.1:1/x',
    });
    expect(await api.exited).toBe(1);
    expect(api.output().trim()).toBe(
      '[api] Invalid configuration: PORT must be a whole number (got "eighty")',
    );
    const worker = run('worker/main.ts', { TEMPORAL_ADDRESS: '', MONGODB_URI: '' });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toMatch(
      /TEMPORAL_ADDRESS and MONGODB_URI must be set for this process/,
    );
  });

  it('a bad SLA_POLICY_FILE stops start-up naming the field and the reason', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gt-bad-policy-')), 'policy.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        name: 'bad',
        calendar: '24x7',
        reopenWindow: 'P1D',
        warnAt: [0.8, 0.5],
        stages: {},
      }),
    );
    const api = run('server/main.ts', { SLA_POLICY_FILE: file });
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain(
      `[api] SLA_POLICY_FILE ${file}: warnAt must be in ascending order`,
    );
  });

  it('npm run token explains a missing claim', () => {
    let failure: { status: number; stderr: Buffer } | undefined;
    try {
      execFileSync(
        'node_modules/.bin/tsx',
        [
          'scripts/token.ts',
          '--role',
          'neighbourhood-lead',
          '--locality',
          'wigan',
          '--email',
          'x@example.org',
        ],
        { stdio: 'pipe' },
      );
    } catch (err) {
      failure = err as { status: number; stderr: Buffer };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr.toString()).toMatch(
      /--neighbourhood a neighbourhood-lead token needs a neighbourhood/,
    );
  });
});
