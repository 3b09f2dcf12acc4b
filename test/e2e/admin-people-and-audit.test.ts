/**
 * The people pages and the audit log in Chromium, over the seeded directory:
 * an admin finds someone by part of their name and by email, narrows the list
 * by role and locality, turns to page 2; a person's page says what they hold;
 * and after the admin changes a neighbourhood lead, the audit log says so in
 * words, with names. Each page reflows at 320 px and passes axe-core.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { buildSeedDirectory } from '../../store/seed/directory-data.ts';
import { checkPage, launchBrowser } from '../support/browser.ts';
import { stackTest } from '../support/fixtures.ts';
import { admin, localityLead, neighbourhood } from '../support/people.ts';

const it = stackTest('admin-people');
let browser: Browser;
const dir = buildSeedDirectory();
const nameOf = (email: string) => dir.people.find((p) => p.email === email)!.name;

it.beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signedInAdmin(url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Who are you signing in as?').selectOption(admin().sub);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/barriers/);
  return page;
}

/** The people table's emails, one a row. */
const emails = (page: Page) => page.locator('table tbody tr td:nth-child(2)').allTextContents();

/** Checks the page at 320 px too: nothing wider than the screen. */
async function narrow(page: Page, name: string) {
  await page.setViewportSize({ width: 320, height: 800 });
  const [scroll, inner] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  expect(scroll, `${name} at 320 px`).toBeLessThanOrEqual(inner);
  await checkPage(page, `${name}-320`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('people and the audit log', () => {
  it('finds people by part of a name and by email, narrows by filters, and pages', async ({
    api,
  }) => {
    const page = await signedInAdmin(api.url);
    await page.goto(`${api.url}/admin/people`);
    const everyone = dir.people.length;
    expect(everyone).toBeGreaterThan(25);
    await expect(page.locator('caption').textContent()).resolves.toBe(
      `Showing 1 to 25 of ${everyone} people`,
    );
    await checkPage(page, 'people-1280');
    await narrow(page, 'people');
    // On a phone the filter waits behind a button rather than covering the page.
    await page.setViewportSize({ width: 320, height: 800 });
    await expect(page.locator('h1').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Name or email').isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Show filter' }).click();
    await expect(page.getByLabel('Name or email').isVisible()).resolves.toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Page 2 through the GOV.UK pagination.
    const first = await emails(page);
    await page.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/page=2/);
    await expect(page.locator('caption').textContent()).resolves.toMatch(/^Showing 26 to 50 of/);
    const second = await emails(page);
    expect(second).toHaveLength(25);
    expect(second.filter((e) => first.includes(e))).toEqual([]);

    // Part of a name: the lead's surname, in lower case.
    const lead = localityLead('wigan').sub;
    const surname = nameOf(lead).split(' ').at(-1)!.toLowerCase();
    await page.goto(`${api.url}/admin/people`);
    await page.getByLabel('Name or email').fill(surname);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/q=/);
    const bySurname = await emails(page);
    expect(bySurname).toContain(lead);
    expect(bySurname.length).toBeLessThan(25);
    await checkPage(page, 'people-searched');

    // An email: just them.
    await page.getByLabel('Name or email').fill(lead);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/q=/);
    expect(await emails(page)).toEqual([lead]);

    // A role and a locality narrow it; the tag removes one filter and keeps the other.
    await page.goto(`${api.url}/admin/people`);
    await page.getByLabel('Role').selectOption('locality-lead');
    await page.getByLabel('Locality', { exact: true }).selectOption('wigan');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/role=locality-lead/);
    const wiganLeads = dir.people.filter(
      (p) => p.roles.includes('locality-lead') && p.locality === 'wigan',
    );
    expect((await emails(page)).sort()).toEqual(wiganLeads.map((p) => p.email).sort());
    await checkPage(page, 'people-filtered');
    await page.getByRole('link', { name: /Remove this filter\s+Wigan/ }).click();
    await page.waitForURL((u) => !u.search.includes('locality='));
    const leads = await emails(page);
    expect(leads.length).toBeGreaterThan(wiganLeads.length);
    await expect(page.getByLabel('Role').inputValue()).resolves.toBe('locality-lead');

    // A person's page: their posts and the barriers they own.
    await page.goto(`${api.url}/admin/people/${encodeURIComponent(lead)}`);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Locality lead, Wigan/);
    await expect(page.locator('main').textContent()).resolves.toMatch(
      /They own (no|\d+) open barriers?/,
    );
    await checkPage(page, 'person');
    await narrow(page, 'person');
  });

  it('says in words, with names, that an admin changed a neighbourhood lead', async ({ api }) => {
    const page = await signedInAdmin(api.url);
    const leigh = neighbourhood('wigan', 'leigh');
    await page.goto(`${api.url}/admin/localities/wigan`);
    const lead = page.locator('#lead-leigh');
    const next = await lead.evaluate(
      (select: HTMLSelectElement, current) =>
        [...select.options].find((o) => o.value && o.value !== current)!.value,
      leigh.lead,
    );
    await lead.selectOption(next);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/done=saved/);

    await page.goto(`${api.url}/admin/audit`);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain(`Leigh's neighbourhood lead: ${nameOf(leigh.lead)} → ${nameOf(next)}`);
    expect(text).toContain(`by ${nameOf(admin().sub)}, through the pages`);
    await checkPage(page, 'audit-named');
    await narrow(page, 'audit');
  });
});
