/**
 * A long triage queue in a real browser: GMCA staff see the first fifty most
 * urgent barriers, how many there are in all, how many more likely
 * duplicates each has beyond the five named, and a "Next page" link that
 * carries on where the page ended. Both pages pass axe-core's checks.
 */
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { barrierDocument } from '../../activities/projection.ts';
import { LOCALITIES } from '../../domain/reference-data.ts';
import { markChanged } from '../../store/read-cache.ts';
import type { TestApi } from '../support/api.ts';
import { checkPage, launchBrowser } from '../support/browser.ts';
import { gmcaTriage } from '../support/people.ts';
import { stackTest } from '../support/fixtures.ts';
import { barrierView } from '../support/views.ts';

let api: TestApi;
let browser: Browser;
const it = stackTest('triage-pages', { worker: false });

const QUEUED = 57;
const idOf = (i: number) => `GT-95${String(i).padStart(5, '0')}`;

it.beforeAll(async ({ stack, api: a }) => {
  api = a;
  browser = await launchBrowser();
  // The read model as the projection would leave it: 57 barriers at gmca, one a
  // minute apart in deadline, from every locality, with the same kind of title.
  const now = Date.now();
  await stack.store.models.Barrier.collection.insertMany(
    Array.from({ length: QUEUED }, (_, i) => ({
      ...barrierDocument(
        'seeded',
        barrierView(
          idOf(i),
          gmcaTriage().sub,
          { stage: 'gmca', nextDeadlineAt: now + (i + 1) * 60_000 },
          {
            stage: 'gmca',
            locality: LOCALITIES[i % LOCALITIES.length]!,
            title: `Pooled budget blocked by ring-fencing rules ${i}`,
          },
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

describe('a long triage queue in Chromium', () => {
  it('shows fifty at a time, most urgent first, with a next page that carries on', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/sign-in`);
    await page.getByLabel('Who are you signing in as?').selectOption(gmcaTriage().sub);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${api.url}/triage`);
    await checkPage(page, 'triage-first-page');

    const table = page.getByRole('table');
    expect((await table.locator('caption').textContent())?.trim()).toBe(
      `${QUEUED} escalated barriers (50 on this page)`,
    );
    const references = async () => table.locator('tbody tr td:first-child').allTextContents();
    const first = await references();
    expect(first.map((r) => r.trim())).toEqual(Array.from({ length: 50 }, (_, i) => idOf(i)));
    // Alike titles from nine other localities: five named, the rest counted.
    expect(await table.locator('tbody tr').first().textContent()).toMatch(/, and \d+ more/);

    await page.getByRole('link', { name: 'Next page' }).click();
    await checkPage(page, 'triage-next-page');
    const second = await references();
    expect(second.map((r) => r.trim())).toEqual(
      Array.from({ length: QUEUED - 50 }, (_, i) => idOf(50 + i)),
    );
    expect(await page.getByRole('link', { name: 'Next page' }).count()).toBe(0);
    await page.close();
  });
});
