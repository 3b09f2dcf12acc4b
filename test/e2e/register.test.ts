/**
 * The register in daily use, in Debian's Chromium: search the barriers page
 * and download what it shows as CSV (read back: the same barriers), search the
 * asks register and download it, and the dashboard saying "No data yet" where
 * no barrier has been, with each table downloadable. axe-core checks each page.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import type { TestApi } from '../support/api.ts';
import { checkPage, launchBrowser } from '../support/browser.ts';
import { stackTest } from '../support/fixtures.ts';
import { gmcaTriage, localityLead } from '../support/people.ts';
import { until } from '../support/processes.ts';

const it = stackTest('register');
let browser: Browser;
afterAll(async () => {
  await browser?.close();
});

async function signInAs(page: Page, api: TestApi, email: string) {
  await page.goto(`${api.url}/sign-in`);
  await page.getByLabel('Who are you signing in as?').selectOption(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/(barriers|triage)$/);
}

/** Clicks a download link and returns the file's text (byte-order mark kept). */
async function download(page: Page, link: string | RegExp): Promise<string> {
  const file = page.waitForEvent('download');
  await page.getByRole('link', { name: link }).click();
  return readFile(await (await file).path(), 'utf8');
}

describe('the register in daily use', () => {
  it('search, export, the asks register and the dashboard', async ({ api, stack }) => {
    browser = await launchBrowser();
    const lead = await api.token(localityLead('wigan'));
    const raise = async (title: string, description: string) => {
      const res = await api.call('POST', '/api/v1/barriers', {
        token: lead,
        body: {
          title,
          description,
          locality: 'wigan',
          neighbourhood: 'leigh',
          category: 'data-sharing',
        },
      });
      return res.body.id as string;
    };
    const consent = await raise(
      'Consent rules block shared records',
      'GP data, "consent", shared care',
    );
    const other = await raise('Pooled budget refused', 'Ring-fenced grant');
    const third = await raise('Records sharing with schools', 'Consent forms differ per school');

    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await signInAs(page, api, gmcaTriage().sub);

    // The dashboard before anything reached the locality stage: no data, not 0 %.
    await page.goto(`${api.url}/dashboard`);
    const byStage = page.locator('table', { hasText: 'Within target, by stage' });
    await expect(byStage.textContent()).resolves.toMatch(/Locality\s*No data yet\s*0/);
    await checkPage(page, 'dashboard-no-data');
    const stageCsv = await download(page, /Download this table \(CSV\).*Within target, by stage/);
    expect(stageCsv).toContain('\r\nLocality,No data yet,0\r\n');

    // Search the barriers page; the CSV link carries the search.
    await page.goto(`${api.url}/barriers`);
    await page.getByLabel('Search').fill('consent RECORDS');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/q=consent\+RECORDS/);
    const shown = await page.locator('tbody tr td:first-child').allTextContents();
    expect(shown.sort()).toEqual([consent, third].sort());
    await checkPage(page, 'barriers-search');
    const csv = await download(page, 'Download these barriers (CSV)');
    expect(csv.startsWith('\uFEFFReference,Title,Description')).toBe(true);
    const rows = csv.trimEnd().split('\r\n').slice(1);
    expect(rows.map((r) => r.split(',')[0]).sort()).toEqual([consent, third].sort());
    expect(csv).toContain('"GP data, ""consent"", shared care"');
    expect(csv).not.toContain(other);

    await page.getByLabel('Search').fill('nothing like this');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.locator('main').textContent()).resolves.toMatch(
      /No barriers you can see match “nothing like this”/,
    );

    // Following a barrier from its page, and hearing its next update by email.
    await page.goto(`${api.url}/barriers/${other}`);
    await expect(page.locator('#followers').textContent()).resolves.toMatch(/No one follows/);
    await page.getByRole('button', { name: 'Follow this barrier' }).click();
    await page.waitForURL(/done=follow$/);
    const me = (await stack.store.models.Person.findById(gmcaTriage().sub).lean())!;
    await expect(page.locator('#followers').textContent()).resolves.toContain(me.name);
    await checkPage(page, 'barrier-followed');
    const resolved = await api.call('POST', `/api/v1/barriers/${other}/actions`, {
      token: lead,
      body: { type: 'resolve', resolution: 'Grant conditions changed.' },
    });
    expect(resolved.status).toBe(200);
    const mail = await stack.mailbox.waitFor((m) =>
      m.some(
        (e) =>
          e.to.includes(gmcaTriage().sub) &&
          e.subject === `[${other}] Resolved: Pooled budget refused`,
      ),
    );
    expect(
      mail.find((e) => e.subject === `[${other}] Resolved: Pooled budget refused`)!.text,
    ).toContain('A barrier you follow was resolved');
    await page.getByRole('button', { name: 'Unfollow' }).click();
    await page.waitForURL(/done=unfollow$/);
    expect(await stack.store.models.Follow.countDocuments({ barrierId: other })).toBe(0);

    // An ask about consent, then the register searched and downloaded.
    for (let i = 0; i < 2; i++) {
      const res = await api.call('POST', `/api/v1/barriers/${consent}/actions`, {
        token: lead,
        body: { type: 'escalate', reason: 'Needs GM' },
      });
      expect(res.status).toBe(200);
    }
    await until(
      'at gmca',
      async () => (await stack.store.models.Barrier.findById(consent).lean())?.stage === 'gmca',
    );
    const ask = await api.call('POST', '/api/v1/asks', {
      token: await api.token(gmcaTriage()),
      body: {
        title: 'Consent rules for shared care records',
        department: 'dhsc',
        ask: 'Issue guidance on consent for shared care records.',
        barrierIds: [consent],
      },
    });
    expect(ask.status).toBe(201);
    await page.goto(`${api.url}/asks`);
    await page.getByLabel('Search').fill('shared CARE');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=shared/);
    await expect(page.locator('tbody').textContent()).resolves.toContain(ask.body.id);
    await checkPage(page, 'asks-search');
    const asksCsv = await download(page, 'Download these asks (CSV)');
    expect(asksCsv.trimEnd().split('\r\n')).toHaveLength(2);
    expect(asksCsv).toContain(ask.body.id);
    await page.getByLabel('Search').fill('pensions');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.locator('main').textContent()).resolves.toMatch(
      /No asks you can see match “pensions”/,
    );
  });
});
