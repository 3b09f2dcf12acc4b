/**
 * The banner after each action, in a real browser (Debian's Chromium): a
 * Wigan locality lead follows a barrier, then acknowledges, comments, pauses
 * and resumes its clock, resolves, reopens and withdraws it, and unfollows.
 * After each the page says, in a GOV.UK success banner that is announced
 * (role=alert) and focused, what was done to which barrier; the pages pass
 * axe-core's WCAG 2.2 AA checks. The page names the raiser, not their email.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { buildSeedDirectory } from '../../store/seed/directory-data.ts';
import { leighRaiseBody, type TestApi } from '../support/api.ts';
import { checkPage, launchBrowser, screenshot } from '../support/browser.ts';
import { localityLead } from '../support/people.ts';
import { stackTest } from '../support/fixtures.ts';

let api: TestApi;
let browser: Browser;
const it = stackTest('banners', { api: {} });

it.beforeAll(async ({ api: a }) => {
  api = a;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const lead = localityLead('wigan');
const leadName = buildSeedDirectory().people.find((p) => p.email === lead.sub)!.name;

/** The success banner's words, once the page after `done` has loaded; checks it is announced. */
async function bannerAfter(page: Page, done: string): Promise<string> {
  await page.waitForURL(new RegExp(`[?&]done=${done}$`));
  const banner = page.locator('.govuk-notification-banner--success');
  expect(await banner.count()).toBe(1);
  expect(await banner.getAttribute('role')).toBe('alert');
  // GOV.UK Frontend's script moves focus to the banner, so a screen reader reads it first.
  await expect
    .poll(() =>
      page.evaluate(() => document.activeElement?.classList.contains('govuk-notification-banner')),
    )
    .toBe(true);
  return ((await banner.locator('.govuk-notification-banner__heading').textContent()) ?? '').trim();
}

describe('banners in Chromium', () => {
  it('says after each action what was done, in an announced banner', async () => {
    const raised = await api.call('POST', '/api/v1/barriers', {
      token: await api.token(lead),
      body: leighRaiseBody('Care records cannot be shared with the GP federation'),
    });
    expect(raised.status).toBe(201);
    const id = String(raised.body.id);

    const page = await browser.newPage({ viewport: { width: 320, height: 900 } });
    await page.goto(`${api.url}/sign-in`);
    await page.getByLabel('Who are you signing in as?').selectOption(lead.sub);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/barriers$/);
    await page.goto(`${api.url}/barriers/${id}`);
    expect(await page.locator('.govuk-notification-banner').count()).toBe(0);
    const summary = (await page.locator('.govuk-summary-list').first().textContent()) ?? '';
    expect(summary).toContain('Raised by');
    expect(summary).toContain(leadName);
    expect(summary).not.toContain(`${lead.sub},`);

    await page.getByRole('button', { name: 'Follow this barrier' }).click();
    expect(await bannerAfter(page, 'follow')).toBe(
      `You follow ${id}: its progress will be emailed to you.`,
    );
    await checkPage(page, 'banner-follow-320');

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    expect(await bannerAfter(page, 'acknowledge')).toBe(`${id} acknowledged`);

    await page
      .locator('#comment-text')
      .fill('Asked the federation for its data-sharing agreement.');
    await page.getByRole('button', { name: 'Add comment' }).click();
    expect(await bannerAfter(page, 'comment')).toBe(`${id} comment added`);
    // The timeline's byline names the person, not their email.
    expect(await page.locator('.moj-timeline__byline').first().textContent()).toContain(leadName);

    await page.locator('#request-info-reason').selectOption('awaiting-third-party');
    await page.locator('#request-info-question').fill('Which practices are in the federation?');
    await page.getByRole('button', { name: 'Request information' }).click();
    expect(await bannerAfter(page, 'request-info')).toBe(
      `${id} information requested: the clock is paused`,
    );
    await checkPage(page, 'banner-paused-320');

    await page.locator('#provide-info-response').fill('All twelve practices in Leigh.');
    await page.getByRole('button', { name: 'Provide information' }).click();
    expect(await bannerAfter(page, 'provide-info')).toBe(
      `${id} information provided: the clock runs again`,
    );

    // The timeline says what was asked and answered, and why the clock paused, in words.
    const timeline = (await page.locator('.moj-timeline').textContent()) ?? '';
    expect(timeline).toContain(
      'Which practices are in the federation? (the clock is paused: awaiting a third party)',
    );
    expect(timeline).toContain('All twelve practices in Leigh.');
    expect(timeline).not.toContain('awaiting-third-party');

    await page.locator('#resolve-resolution').fill('An agreement is signed for all twelve.');
    await page.getByRole('button', { name: 'Resolve' }).click();
    expect(await bannerAfter(page, 'resolve')).toBe(`${id} resolved`);

    await page.locator('#reopen-reason').fill('Two practices refused to sign after all.');
    await page.getByRole('button', { name: 'Reopen' }).click();
    expect(await bannerAfter(page, 'reopen')).toBe(`${id} reopened`);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('#withdraw-reason').fill('Raised again with the right category.');
    await page.getByRole('button', { name: 'Withdraw' }).click();
    expect(await bannerAfter(page, 'withdraw')).toBe(`${id} withdrawn`);
    await checkPage(page, 'banner-withdrawn-1280');

    await page.getByRole('button', { name: 'Unfollow' }).click();
    expect(await bannerAfter(page, 'unfollow')).toBe(`You no longer follow ${id}.`);

    // A forged done shows nothing.
    await page.goto(`${api.url}/barriers/${id}?done=constructor`);
    expect(await page.locator('.govuk-notification-banner').count()).toBe(0);
    await screenshot(page, 'banner-forged-1280');
    await page.close();
  });
});
