/** /healthz and /readyz against a FerretDB this test owns and stops. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFerretDb, type FerretDbServer } from '../../scripts/servers/ferretdb.ts';
import { loadLocalStackConfig } from '../../scripts/lib/local-stack-config.ts';
import { localityLead } from '../support/people.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { openTestStack, type TestStack } from '../support/stack.ts';
import { sharedPostgres } from '../support/processes.ts';

let ferret: FerretDbServer;
let stack: TestStack;
let api: TestApi;

beforeAll(async () => {
  ferret = await startFerretDb({
    postgresqlUrl: sharedPostgres(),
    cacheDir: loadLocalStackConfig({}).cacheDir,
    dataDir: mkdtempSync(join(tmpdir(), 'gt-ready-')),
  });
  stack = await openTestStack('ready');
  // Point this stack's store and API at the private FerretDB.
  await stack.store.close();
  stack.mongodbUri = ferret.uri;
  api = await startTestApi(stack);
});
afterAll(async () => {
  await api?.close();
  await stack?.connection.close();
  await ferret?.process.stop();
});

describe('health and readiness', () => {
  it('is ready while Temporal and the database answer, and 503 naming the database when it stops', async () => {
    expect((await api.call('GET', '/healthz')).status).toBe(200);
    const ready = await api.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', temporal: 'up', database: 'up' });

    await ferret.process.stop();
    const started = Date.now();
    const down = await api.call('GET', '/readyz');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(down.body).toMatchObject({
      status: 503,
      dependency: 'database',
      detail: expect.stringMatching(/database is not answering/),
    });
    expect((await api.call('GET', '/healthz')).status).toBe(200);
    // What needs the database answers 503 problem+json too, not a 500.
    const token = await api.token(localityLead('wigan'));
    const list = await api.call('GET', '/api/v1/barriers', { token });
    expect(list.status).toBe(503);
    expect(list.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(list.body).toMatchObject({ status: 503, dependency: 'database' });
  }, 30_000);
});
