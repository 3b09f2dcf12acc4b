/**
 * A list longer than a page in a real browser: a Wigan locality lead sees
 * the first 25 of 30 barriers, goes to page 2 through GOV.UK's pagination
 * and back with "Previous", with the filters kept; at 320 px the page does
 * not pan sideways. Every page passes axe-core's checks and is screenshotted.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { barrierDocument } from '../../activities/projection.ts';
import { markChanged } from '../../store/read-cache.ts';
import type { TestApi } from '../support/api.ts';
import { checkPage, launchBrowser, screenshot } from '../support/browser.ts';
import { localityLead } from '../support/people.ts';
import { stackTest } from '../support/fixtures.ts';
import { barrierView } from '../support/views.ts';

let api: TestApi;
let browser: Browser;
const it = stackTest('list-pages', { worker: false });

const LISTED = 30;
const idOf = (i: number) => `GT-96${String(i).padStart(5, '0')}`;

it.beforeAll(async ({ stack, api: a }) => {
  api = a;
  browser = await launchBrowser();
  // The read model as the projection would leave it: 30 open barriers in
  // Wigan, one a minute apart in deadline, so the order is known.
  const now = Date.now();
  const lead = localityLead('wigan').sub;
  await stack.store.models.Barrier.collection.insertMany(
    Array.from({ length: LISTED }, (_, i) => ({
      ...barrierDocument(
        'seeded',
        barrierView(
          idOf(i),
          lead,
          { stage: 'locality', nextDeadlineAt: now + (i + 1) * 3_600_000 },
          { stage: 'locality', title: `Pooled budget blocked by ring-fencing rules ${i}` },
        ),
      ),
      projectedAt: new Date(),
    })) as never[],
  );
  await markChanged(stack.store.models, 'barriers');
});
afterAll(async () => {
  await browser?.close();
});

const references = async (page: Page) =>
  (await page.getByRole('table').locator('tbody tr td:first-child').allTextContents()).map((r) =>
    r.trim(),
  );
const caption = async (page: Page) =>
  (await page.getByRole('table').locator('caption').textContent())?.trim();

describe('a list longer than a page in Chromium', () => {
  it('shows page 2 through the pagination links, and goes back', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/sign-in`);
    await page.getByLabel('Who are you signing in as?').selectOption(localityLead('wigan').sub);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/barriers$/);
    // Filtered through MoJ's filter, so the pages must keep the filter.
    await page.getByLabel('Stage').selectOption('locality');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/stage=locality/);
    await checkPage(page, 'barriers-page-1');
    expect(await caption(page)).toBe(`Showing 1 to 25 of ${LISTED} barriers`);
    expect(await references(page)).toEqual(Array.from({ length: 25 }, (_, i) => idOf(i)));

    const pages = page.getByRole('navigation', { name: 'Pages of barriers' });
    await pages.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/page=2/);
    expect(page.url()).toContain('stage=locality');
    await checkPage(page, 'barriers-page-2');
    expect(await caption(page)).toBe(`Showing 26 to ${LISTED} of ${LISTED} barriers`);
    expect(await references(page)).toEqual(
      Array.from({ length: LISTED - 25 }, (_, i) => idOf(25 + i)),
    );
    expect(await pages.getByRole('link', { name: 'Next' }).count()).toBe(0);
    expect(await pages.locator('[aria-current="page"]').textContent()).toContain('2');

    await pages.getByRole('link', { name: 'Previous' }).click();
    await page.waitForURL((url) => !url.search.includes('page='));
    expect(await references(page)).toEqual(Array.from({ length: 25 }, (_, i) => idOf(i)));
    // And by number.
    await pages.getByRole('link', { name: 'Page 2' }).click();
    await page.waitForURL(/page=2/);
    expect(await caption(page)).toBe(`Showing 26 to ${LISTED} of ${LISTED} barriers`);

    // At 320 px the filter waits behind "Show filter" (MoJ's toggle), and
    // nothing pans sideways.
    await page.setViewportSize({ width: 320, height: 900 });
    await page.getByRole('button', { name: 'Show filter' }).waitFor();
    expect(await page.getByRole('button', { name: 'Apply filters' }).isVisible()).toBe(false);
    const fits = await page.evaluate(
      () => document.documentElement.scrollWidth <= window.innerWidth,
    );
    await screenshot(page, 'barriers-page-2-320');
    expect(fits).toBe(true);
    await page.getByRole('button', { name: 'Show filter' }).click();
    expect(await page.getByRole('button', { name: 'Apply filters' }).isVisible()).toBe(true);
    await screenshot(page, 'barriers-filter-shown-320');
    await page.close();
  });
});
