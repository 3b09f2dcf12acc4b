/**
 * The pages in a real browser (Debian's Chromium) against the app on real
 * servers: a Wigan locality lead raises a barrier (a bad field first: error
 * summary, nothing created), the neighbourhood lead acknowledges, comments
 * and escalates, and GMCA staff find it in the triage queue. Every page
 * passes axe-core's WCAG 2.2 AA checks with one h1, and is screenshotted.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import type { TestApi } from '../support/api.ts';
import { checkPage, launchBrowser } from '../support/browser.ts';
import { gmcaTriage, localityLead, neighbourhoodLead } from '../support/people.ts';
import { ackSecondsPolicy } from '../support/policies.ts';
import { until } from '../support/processes.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

let stack: TestStack;
let api: TestApi;
let browser: Browser;

// The locality's acknowledgement is missed in 2 s, so an escalated barrier reaches GMCA quickly.
const policy = ackSecondsPolicy('test-pages', { neighbourhood: 3600, locality: 2 });
const it = stackTest('pages', { api: { policy, devMailbox: true } });

it.beforeAll(async ({ stack: s, api: a }) => {
  [stack, api] = [s, a];
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signInAs(page: Page, email: string) {
  await page.goto(`${api.url}/sign-in`);
  await page.getByLabel('Who are you signing in as?').selectOption(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in$/);
}

describe('pages in Chromium', () => {
  it('raise, acknowledge, comment, escalate, and triage, through the pages', async () => {
    const page = await browser.newPage();
    const count = () => stack.store.models.Barrier.countDocuments();

    await page.goto(api.url);
    await page.waitForURL(/\/sign-in$/);
    await checkPage(page, 'sign-in');
    await signInAs(page, localityLead('wigan').sub);
    await page.waitForURL(/\/barriers$/);
    await checkPage(page, 'barriers-empty');

    await page.getByRole('link', { name: 'Raise a barrier' }).first().click();
    await page.waitForURL(/\/barriers\/new$/);
    await checkPage(page, 'raise');
    await page.getByLabel('Title').fill('Ring-fenced grant <stops> a pooled rough sleeping fund');
    // The description is left empty: one bad field.
    await page.getByLabel('Neighbourhood').selectOption('leigh');
    await page.getByLabel('Category').selectOption('funding');
    await page.getByLabel('People affected (optional)').fill('120');
    await page.getByRole('button', { name: 'Raise barrier' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Describe the barrier and who it affects',
    );
    expect(await page.locator('#description-error').textContent()).toContain(
      'Describe the barrier',
    );
    // What was typed is kept, and nothing was created.
    expect(await page.getByLabel('Title').inputValue()).toContain('<stops>');
    expect(await count()).toBe(0);
    await checkPage(page, 'raise-with-error');

    await page
      .getByLabel('What is the barrier and who does it affect?')
      .fill('The grant conditions forbid pooling with health partners.');
    await page.getByRole('button', { name: 'Raise barrier' }).click();
    await page.waitForURL(/\/barriers\/GT-\d+\/raised$/);
    const id = /\/barriers\/(GT-\d+)\/raised$/.exec(page.url())![1]!;
    expect(await page.locator('.govuk-panel').textContent()).toContain(id);
    expect(await count()).toBe(1);
    await checkPage(page, 'raised');

    await page.goto(`${api.url}/barriers`);
    expect(await page.locator('table').textContent()).toContain(id);
    await checkPage(page, 'barriers-list');
    await signOut(page);

    // The neighbourhood lead acknowledges, comments and escalates.
    await signInAs(page, neighbourhoodLead('wigan', 'leigh').sub);
    await page.goto(`${api.url}/barriers/${id}`);
    // Text people typed is shown as text, never as markup.
    expect(await page.locator('h1').textContent()).toContain('<stops>');
    await checkPage(page, 'barrier');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/done=acknowledge/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('acknowledge');
    await page.locator('#comment-text').fill('Talking to the grant manager this week.');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.waitForURL(/done=comment/);
    expect(await page.locator('.moj-timeline').textContent()).toContain(
      'Talking to the grant manager this week.',
    );
    // An action form with a missing field says so, and changes nothing.
    await page.getByRole('button', { name: 'Escalate' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Reason');
    await checkPage(page, 'barrier-action-error');
    await page.locator('#escalate-reason').fill('Needs the locality: the grant is theirs.');
    await page.getByRole('button', { name: 'Escalate' }).click();
    await page.waitForURL(/done=escalate/);
    await checkPage(page, 'barrier-escalated');
    await signOut(page);

    // Nobody at the locality acknowledges in time: it reaches GMCA's triage queue.
    await until(
      'gmca',
      async () => (await stack.store.models.Barrier.findById(id).lean())?.stage === 'gmca',
    );
    await signInAs(page, gmcaTriage().sub);
    await page.waitForURL(/\/triage$/);
    expect(await page.locator('table').textContent()).toContain(id);
    await checkPage(page, 'triage');
    for (const [path, name] of [
      ['/asks', 'asks'],
      ['/dashboard', 'dashboard'],
      [`/barriers/${id}`, 'barrier-gmca'],
    ] as const) {
      await page.goto(`${api.url}${path}`);
      await checkPage(page, name);
    }
    // GMCA promotes it into a new Whitehall ask from the barrier page.
    await page.locator('#promote-askTitle').fill('Let councils pool rough sleeping grants');
    await page.locator('#promote-department').selectOption('mhclg');
    await page
      .locator('#promote-askText')
      .fill('Relax the ring-fence for pooled neighbourhood funds.');
    await page.getByRole('button', { name: 'Promote to a Whitehall ask' }).click();
    await page.waitForURL(/done=promote/);
    const askId = (await stack.store.models.Barrier.findById(id).lean())?.askId;
    expect(askId).toMatch(/^ASK-\d+$/);
    await page.goto(`${api.url}/asks/${askId}`);
    expect(await page.locator('h1').textContent()).toContain(
      'Let councils pool rough sleeping grants',
    );
    await checkPage(page, 'ask');
    // The development mailbox shows the emails the journey sent.
    await page.goto(`${api.url}/dev/mailbox`);
    expect(await page.locator('main').textContent()).toContain(`[${id}] Assigned to you`);
    await checkPage(page, 'mailbox');
    await page.close();
  }, 120_000);

  it('refuses a form posted without its CSRF token, and works without JavaScript', async () => {
    const before = await stack.store.models.Barrier.countDocuments();
    const forged = await fetch(`${api.url}/barriers/new`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'title=x&description=y&locality=wigan&neighbourhood=leigh&category=funding',
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    expect(await stack.store.models.Barrier.countDocuments()).toBe(before);

    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInAs(page, localityLead('wigan').sub);
    await page.goto(`${api.url}/barriers/new`);
    await page.getByLabel('Title').fill('Works without JavaScript');
    await page.getByLabel('What is the barrier and who does it affect?').fill('Plain forms.');
    await page.getByLabel('Neighbourhood').selectOption('leigh');
    await page.getByLabel('Category').selectOption('digital');
    await page.getByRole('button', { name: 'Raise barrier' }).click();
    await page.waitForURL(/\/raised$/);
    expect(await stack.store.models.Barrier.countDocuments()).toBe(before + 1);
    const headers = (await fetch(`${api.url}/sign-in`)).headers;
    expect(headers.get('content-security-policy')).toContain("script-src 'self' 'nonce-");
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    await context.close();
  }, 60_000);
});
