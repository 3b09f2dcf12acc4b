/**
 * Importing a locality's barrier log from the pages, in Debian's Chromium: a
 * file with a bad row shows the problem by row and column and creates
 * nothing; fixed, it is checked, confirmed and imported while the page shows
 * progress (closed rows arrive closed, and nobody is emailed about them);
 * uploaded again, it has nothing new. axe-core checks each page.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { checkPage, launchBrowser } from '../support/browser.ts';
import { stackTest } from '../support/fixtures.ts';
import { localityLead, neighbourhoodLead } from '../support/people.ts';

const it = stackTest('import-pages');
let browser: Browser;
afterAll(async () => {
  await browser?.close();
});

const leighLead = neighbourhoodLead('wigan', 'leigh').sub;
const HEADER =
  'Title,Description,Locality,Neighbourhood,Category,Raised on,Status,Resolution,Raised by';
const ROWS = [
  'Housing records not shared,"No agreement with the ""housing"" team",Wigan,Leigh,Data sharing,14/03/2026,,,',
  'Budget ring-fenced,Cannot pool the grant,Wigan,Hindley & Abram,Funding,2026-02-01,,,',
  `Old estates issue,Building could not be shared,Wigan,Leigh,Estates,2025-10-20,Resolved,Lease agreed in January,${leighLead}`,
];

async function upload(page: Page, dir: string, name: string, lines: string[]) {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\r\n')}\r\n`);
  await page.getByLabel('Your barrier log (CSV)').setInputFiles(path);
  await page.getByRole('button', { name: 'Check the file' }).click();
}

describe('importing a barrier log from the pages', () => {
  it('shows problems by row, then imports, then finds nothing new', async ({ api, stack }) => {
    const { models } = stack.store;
    browser = await launchBrowser();
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await page.goto(`${api.url}/sign-in`);
    await page.getByLabel('Who are you signing in as?').selectOption(localityLead('wigan').sub);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/barriers$/);

    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.waitForURL(/\/import$/);
    await checkPage(page, 'import');
    const file = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download the template (CSV)' }).click();
    const template = await readFile(await (await file).path(), 'utf8');
    expect(template.split('\r\n')[0]).toBe(
      '\uFEFFTitle,Description,Locality,Neighbourhood,Category,Focus area,People affected,Raised on,Status,Resolution,Owner email,Raised by',
    );

    // A bad row: shown by row and column, and nothing is created or stored.
    const dir = await mkdtemp(join(tmpdir(), 'gt-import-'));
    const bad = [HEADER, ROWS[0]!, ROWS[1]!.replace('Hindley & Abram', 'Hindley Abbey'), ROWS[2]!];
    await upload(page, dir, 'wigan-log.csv', bad);
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'The file has 1 problem, so nothing was imported',
    );
    const problem = await page.locator('#problems tbody tr').allTextContents();
    expect(problem).toEqual([
      expect.stringMatching(
        /^\s*3\s*Neighbourhood\s*Hindley Abbey is not a neighbourhood of wigan\s*$/,
      ),
    ]);
    await checkPage(page, 'import-problems');
    expect(await models.Import.countDocuments()).toBe(0);
    expect(await models.Barrier.countDocuments()).toBe(0);

    // Fixed: checked, then confirmed; the page follows the import to its end.
    await upload(page, dir, 'wigan-log.csv', [HEADER, ...ROWS]);
    await page.waitForURL(/\/import\/IMP-\d+$/);
    await expect(page.locator('#plan').textContent()).resolves.toContain(
      '3 barriers will be created.',
    );
    await checkPage(page, 'import-checked');
    expect(await models.Barrier.countDocuments()).toBe(0);
    await page.getByRole('button', { name: 'Import 3 barriers' }).click();
    // Its page says it started (in a banner while it runs; the panel once it is done).
    await page.waitForURL(/\/import\/IMP-\d+\?done=started$/);
    await page.locator('.govuk-panel', { hasText: 'Import complete' }).waitFor({ timeout: 60_000 });
    await expect(page.locator('.govuk-panel').textContent()).resolves.toContain(
      '3 barriers created',
    );
    await checkPage(page, 'import-done');

    // The barriers are there, the closed one closed, with its original date.
    await page.goto(`${api.url}/barriers?status=resolved`);
    const closedRow = page.locator('tbody tr', { hasText: 'Old estates issue' });
    await closedRow.waitFor();
    const closed = (await models.Barrier.findOne({ title: 'Old estates issue' }).lean())!;
    expect(closed).toMatchObject({
      status: 'resolved',
      resolution: 'Lease agreed in January',
      raisedBy: leighLead,
    });
    // Midnight in London on the day it was logged (British Summer Time then).
    expect(closed.raisedAt.toISOString()).toBe('2025-10-19T23:00:00.000Z');
    await page.goto(`${api.url}/barriers/${closed._id}`);
    await expect(page.locator('main').textContent()).resolves.toMatch(
      /Imported.*From row 4 of wigan-log.csv/s,
    );
    await checkPage(page, 'imported-barrier');
    // Open rows were routed and their owners told; nobody hears of the closed one.
    await stack.mailbox.waitFor((m) =>
      m.some((e) => e.subject.includes('Housing records not shared')),
    );
    await sleep(1_000);
    expect(stack.mailbox.messages().filter((m) => m.key.startsWith(`${closed._id}:`))).toEqual([]);

    // The same file again: nothing new to import.
    await page.goto(`${api.url}/import`);
    await upload(page, dir, 'wigan-log-again.csv', [HEADER, ...ROWS]);
    await page.waitForURL(/\/import\/IMP-\d+$/);
    await expect(page.locator('main').textContent()).resolves.toContain(
      'Everything in this file was imported before',
    );
    expect(await page.getByRole('button', { name: /^Import \d+ barrier/ }).count()).toBe(0);
    await expect(page.locator('tbody').textContent()).resolves.toContain(
      `Imported before as ${closed._id}`,
    );
    expect(await models.Barrier.countDocuments()).toBe(3);
  });
});
