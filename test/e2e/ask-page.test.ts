/**
 * A Whitehall ask's page in a real browser (Debian's Chromium), against the
 * app on real servers: a GMCA officer promotes a Wigan barrier into a new ask
 * from its page, opens the ask, adds a Bolton barrier (a bad reference first:
 * the error summary, nothing changed), submits it (a second submit is refused
 * clearly), chases it and records the department's response (a form left
 * empty first). After each action a banner says what was done; the page
 * shows the evidence from both localities, passes axe-core's WCAG 2.2 AA
 * checks, reflows at 320 px and prints without its forms.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import type { TestApi } from '../support/api.ts';
import { checkPage, launchBrowser, screenshot } from '../support/browser.ts';
import { gmcaTriage, localityLead } from '../support/people.ts';
import { until } from '../support/processes.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

let stack: TestStack;
let api: TestApi;
let browser: Browser;
const it = stackTest('ask-page', { api: {} });

/** Raises a barrier as the locality's lead and escalates it, by hand, up to GMCA. */
async function raiseToGmca(
  locality: 'wigan' | 'bolton',
  body: { neighbourhood: string; title: string; description: string; peopleAffected: number },
): Promise<string> {
  const token = await api.token(localityLead(locality));
  const raised = await api.call('POST', '/api/v1/barriers', {
    token,
    body: { ...body, locality, category: 'data-sharing', focusArea: 'early-years' },
  });
  expect(raised.status).toBe(201);
  const id = String(raised.body.id);
  for (const reason of ['The locality holds the contract', 'Only national rules can change this']) {
    const res = await api.call('POST', `/api/v1/barriers/${id}/actions`, {
      token,
      body: { type: 'escalate', reason },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  await until(
    `${id} at gmca`,
    async () => (await stack.store.models.Barrier.findById(id).lean())?.stage === 'gmca',
  );
  return id;
}

let wigan: string;
let bolton: string;

it.beforeAll(async ({ stack: s, api: a }) => {
  [stack, api] = [s, a];
  browser = await launchBrowser();
  wigan = await raiseToGmca('wigan', {
    neighbourhood: 'leigh',
    title: 'Health visitors cannot see the council’s early help caseload',
    description:
      'Health visitors and early help workers in Leigh keep separate records.\n\nFamilies tell their story four times before anyone acts.',
    peopleAffected: 300,
  });
  bolton = await raiseToGmca('bolton', {
    neighbourhood: 'farnworth-and-kearsley',
    title: 'Family hub cannot see who has lost Universal Credit',
    description: 'The family hub learns of a sanction only when rent arrears show.',
    peopleAffected: 120,
  });
});
afterAll(async () => {
  await browser?.close();
});

/** The success banner's words once the page after `done` has loaded. */
async function bannerAfter(page: Page, done: string): Promise<string> {
  await page.waitForURL(new RegExp(`[?&]done=${done}(&|$)`));
  const banner = page.locator('.govuk-notification-banner--success');
  expect(await banner.count()).toBe(1);
  expect(await banner.getAttribute('role')).toBe('alert');
  return ((await banner.locator('.govuk-notification-banner__heading').textContent()) ?? '').trim();
}

/** A fact's value from the ask's summary list, as the page shows it. */
async function fact(page: Page, key: string): Promise<string> {
  const row = page.locator('.govuk-summary-list__row', {
    has: page.locator('.govuk-summary-list__key', { hasText: new RegExp(`^\\s*${key}\\s*$`) }),
  });
  return ((await row.first().locator('.govuk-summary-list__value').innerText()) ?? '').trim();
}

/** Checks the page at 320 px too: nothing wider than the screen, and axe-core again. */
async function narrow(page: Page, name: string) {
  await page.setViewportSize({ width: 320, height: 800 });
  const [scroll, inner] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  expect(scroll, `${name} at 320 px`).toBeLessThanOrEqual(inner);
  await checkPage(page, `${name}-320`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('a Whitehall ask’s page in Chromium', () => {
  it('a GMCA officer bundles two localities’ barriers, submits, chases and records the answer', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${api.url}/sign-in`);
    await page.getByLabel('Who are you signing in as?').selectOption(gmcaTriage().sub);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/triage$/);

    // A new ask, from the Wigan barrier's page.
    await page.goto(`${api.url}/barriers/${wigan}`);
    await page
      .locator('#promote-askTitle')
      .fill('Let health visitors and councils share caseloads');
    await page.locator('#promote-department').selectOption('dhsc');
    await page
      .locator('#promote-askText')
      .fill(
        'Issue guidance under the Health and Social Care Act 2012 so that health visitors may share caseloads with councils’ early help teams.',
      );
    await page.getByRole('button', { name: 'Promote to a Whitehall ask' }).click();
    await page.waitForURL(/done=promote/);
    const askId = String((await stack.store.models.Barrier.findById(wigan).lean())?.askId);
    expect(askId).toMatch(/^ASK-\d+$/);

    await page.goto(`${api.url}/asks/${askId}`);
    expect(await page.locator('h1').textContent()).toContain(
      'Let health visitors and councils share caseloads',
    );
    expect(await fact(page, 'Status')).toBe('Draft');
    expect(await fact(page, 'Response due')).toBe('Not submitted yet');
    await checkPage(page, 'ask-draft');

    // A reference that is not one: the error summary, the field's error, nothing added.
    await page.locator('#add-barrier-barrierId').fill('forty-two');
    await page.getByRole('button', { name: 'Add barrier' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter a barrier reference like GT-0042',
    );
    expect(await page.locator('#add-barrier-barrierId-error').count()).toBe(1);
    expect(await page.locator('#add-barrier-barrierId').inputValue()).toBe('forty-two');
    expect((await stack.store.models.Ask.findById(askId).lean())?.barrierIds).toEqual([wigan]);
    await checkPage(page, 'ask-add-barrier-error');

    // The Bolton barrier, typed in lower case.
    await page.locator('#add-barrier-barrierId').fill(bolton.toLowerCase());
    await page.getByRole('button', { name: 'Add barrier' }).click();
    expect(await bannerAfter(page, 'add-barrier')).toBe(`${bolton} added to ${askId}`);
    const localities = page.locator('#localities');
    for (const [place, affected] of [
      ['Bolton', 'Yes'],
      ['Bury', 'No'],
      ['Wigan', 'Yes'],
    ] as const) {
      const row = localities.locator('tbody tr', { has: page.getByText(place, { exact: true }) });
      expect(await row.locator('td').nth(1).innerText()).toBe(affected);
    }
    expect(await localities.locator('tbody tr').count()).toBe(11);
    expect(await localities.locator('tbody tr').last().innerText()).toMatch(/420/);
    expect(await page.locator('.gt-case').count()).toBe(2);
    expect(await page.locator('main').innerText()).toContain(
      'Families tell their story four times before anyone acts.',
    );
    await checkPage(page, 'ask-barrier-added');

    await page.getByRole('button', { name: 'Submit the ask' }).click();
    expect(await bannerAfter(page, 'submit')).toMatch(
      new RegExp(
        `^${askId} submitted to the Department of Health and Social Care: a response is due by \\d{1,2} [A-Z][a-z]+ \\d{4}$`,
      ),
    );
    expect(await fact(page, 'Status')).toBe('Submitted');
    expect(await fact(page, 'Response due')).toMatch(
      /\(\d+ working days( and \d+ hours?)? left\)$/,
    );
    await checkPage(page, 'ask-submitted');
    await narrow(page, 'ask-submitted');

    // Submitting twice (an old tab, say) is refused in words, and is not a server error.
    const csrf = await page.locator('#chase-form input[name="_csrf"]').inputValue();
    const again = await page.request.post(`${api.url}/asks/${askId}/actions`, {
      form: { _csrf: csrf, type: 'submit' },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(422);
    expect(await again.text()).toContain(
      `You cannot submit on ${askId} now: an ask is submitted only while the ask is a draft; it is submitted.`,
    );

    await page.locator('#chase-note').fill('Rang the minister’s private office.');
    await page.getByRole('button', { name: 'Record a chaser' }).click();
    expect(await bannerAfter(page, 'chase')).toBe(`${askId} chased: the chaser is on its history`);
    expect(await fact(page, 'Chasers')).toMatch(
      /^\d{1,2} [A-Z][a-z]+ \d{4} at \S+: Chased by GMCA: Rang the minister’s private office\.$/m,
    );
    await checkPage(page, 'ask-chased');

    // The response form left empty says what is missing, and records nothing.
    await page.getByRole('button', { name: 'Record the response' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    const summary = (await page.locator('.govuk-error-summary').textContent()) ?? '';
    expect(summary).toContain('Select what the department answered');
    expect(summary).toContain('Enter the department’s response');
    expect((await stack.store.models.Ask.findById(askId).lean())?.status).toBe('submitted');
    await checkPage(page, 'ask-response-error');

    await page.getByLabel('Partially agreed').check();
    await page
      .locator('#record-response-response')
      .fill(
        'The department agrees in part.\n\nHealth visitors may share caseloads with early help teams\nfrom April, under a data-sharing agreement.\n\nUniversal Credit data is for DWP.',
      );
    await page.getByRole('button', { name: 'Record the response' }).click();
    expect(await bannerAfter(page, 'record-response')).toBe(
      `${askId} answered: the department’s response is recorded`,
    );
    expect(await fact(page, 'Outcome')).toBe('Partially agreed');
    const response = page.locator('.govuk-summary-list__value .gt-prose p');
    expect(await response.allInnerTexts()).toEqual([
      'The department agrees in part.',
      'Health visitors may share caseloads with early help teams\nfrom April, under a data-sharing agreement.',
      'Universal Credit data is for DWP.',
    ]);
    // Answered: nothing more to do but read and download.
    expect(await page.locator('#actions form').count()).toBe(0);
    await checkPage(page, 'ask-answered');
    await narrow(page, 'ask-answered');

    // Printed, the page is its content: no navigation, forms, banner or footer.
    await page.emulateMedia({ media: 'print' });
    for (const chrome of [
      '.govuk-service-navigation__wrapper',
      '.gt-user-bar',
      '#actions',
      '.govuk-footer',
      '.govuk-notification-banner',
    ])
      expect(await page.locator(chrome).isVisible(), `${chrome} printed`).toBe(false);
    expect(await page.locator('#localities').isVisible()).toBe(true);
    // A case's link prints where it leads.
    const link = page.locator(`#case-${bolton} a`);
    expect(await link.getAttribute('data-print-url')).toMatch(
      new RegExp(`^https?://[^/]+/barriers/${bolton}$`),
    );
    expect(await link.evaluate((a) => getComputedStyle(a, '::after').content)).not.toBe('none');
    await screenshot(page, 'ask-print');
    await page.close();
  }, 180_000);
});
