/**
 * A page request that meets a database outage gets a GOV.UK page saying the
 * service is unavailable (503), in the browser, not problem+json; the API
 * beside it still answers problem+json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startFerretDb } from '../../scripts/servers/ferretdb.ts';
import { loadLocalStackConfig } from '../../scripts/lib/local-stack-config.ts';
import { startTestApi } from '../support/api.ts';
import { axeViolations, launchBrowser, screenshot } from '../support/browser.ts';
import { localityLead } from '../support/people.ts';
import { openTestStack } from '../support/stack.ts';
import { sharedPostgres } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gt-pages-outage-'));
const cleanups: (() => Promise<unknown>)[] = [];
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('pages during a database outage', () => {
  it('show a 503 service-unavailable page, and the API a 503 problem', async () => {
    const { cacheDir } = loadLocalStackConfig({});
    const ferret = await startFerretDb({ cacheDir, dataDir, postgresqlUrl: sharedPostgres() });
    cleanups.push(() => ferret.process.stop());
    const stack = await openTestStack('pages-outage', {
      mongodbBase: ferret.uri.replace(/\/[^/]*$/, '/'),
    });
    cleanups.push(() => stack.close());
    const api = await startTestApi(stack);
    cleanups.push(() => api.close());
    browser = await launchBrowser();
    const page = await browser.newPage();

    const lead = localityLead('wigan');
    await page.goto(`${api.url}/sign-in`);
    await page.getByLabel('Who are you signing in as?').selectOption(lead.sub);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/barriers$/);

    await ferret.process.crash();
    const response = await page.goto(`${api.url}/barriers`);
    expect(response?.status()).toBe(503);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    await expect
      .poll(() => page.locator('h1').textContent())
      .toBe('Sorry, the service is unavailable');
    expect(await page.textContent('main')).toContain('Nothing you sent has been lost');
    await screenshot(page, 'outage-503');
    expect(await axeViolations(page)).toEqual([]);

    const fromApi = await api.call('GET', '/api/v1/barriers', { token: await api.token(lead) });
    expect(fromApi.status).toBe(503);
    expect(fromApi.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(fromApi.body).toMatchObject({ dependency: 'database' });
  });
});
