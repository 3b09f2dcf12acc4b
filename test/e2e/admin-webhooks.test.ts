/**
 * The webhook admin pages in Chromium: an admin adds a subscription (sees its
 * secret once), a barrier's events reach a real receiver that verifies them,
 * the delivery log says so, Redeliver sends one again with the same
 * webhook-id, and Pause holds deliveries. Each page passes axe-core and
 * reflows at 320 px.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { checkPage, launchBrowser } from '../support/browser.ts';
import { stackTest } from '../support/fixtures.ts';
import { admin, localityLead } from '../support/people.ts';
import { until } from '../support/processes.ts';
import { startReceiver, type Receiver } from '../support/webhook-receivers.ts';

const it = stackTest('admin-webhooks', {
  worker: false,
  api: { env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } },
});
let browser: Browser;
let receiver: Receiver;

it.beforeAll(async ({ stack }) => {
  await stack.startWorker(undefined, {
    webhooks: {
      allowPrivate: true,
      settings: {
        attemptTimeoutMs: 1_000,
        retryFirstMs: 200,
        retryMaxMs: 1_000,
        disableAfterFailures: 5,
        disableAfterMs: 0,
        pollMs: 1_000,
      },
    },
  });
  browser = await launchBrowser();
  receiver = await startReceiver({ kind: 'ok' });
});
afterAll(async () => {
  await browser?.close();
  await receiver?.close();
});

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

describe('the webhook pages', () => {
  it('add a subscription, show its secret once, log and redeliver its deliveries, and pause it', async ({
    api,
  }) => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/sign-in`);
    await page.getByLabel('Who are you signing in as?').selectOption(admin().sub);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/barriers/);

    await page.goto(`${api.url}/admin/webhooks`);
    await checkPage(page, 'webhooks-empty');
    await page.getByRole('button', { name: 'Add a webhook subscription' }).click();
    await page.waitForURL(/\/admin\/webhooks\/new/);
    await checkPage(page, 'webhook-new');

    // A mistake: the error summary names each field, and nothing is added.
    await page.getByLabel('Name').fill('Wigan case management');
    await page.getByRole('button', { name: 'Add subscription' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toMatch(/URL/);
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toMatch(
      /Event types/,
    );
    await checkPage(page, 'webhook-new-errors');
    await expect(page.getByLabel('Name').inputValue()).resolves.toBe('Wigan case management');

    await page.getByLabel('URL').fill(receiver.url);
    await page.getByLabel('A barrier was raised (or imported)').check();
    await page.getByLabel('A barrier was routed to its owner at a stage').check();
    await page.locator('#locality').selectOption('wigan');
    await page.getByRole('button', { name: 'Add subscription' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Wigan case management is added');
    const secret = (await page.locator('#secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    receiver.secrets.push(secret);
    await checkPage(page, 'webhook-secret');
    await page.getByRole('link', { name: 'Go to Wigan case management' }).click();
    await page.waitForURL(/\/admin\/webhooks\/WH-/);
    // Shown once: never again.
    expect(await page.content()).not.toContain(secret);

    const raised = await api.call('POST', '/api/v1/barriers', {
      token: await api.token(localityLead('wigan')),
      body: {
        title: 'Joint post cannot be funded',
        description: 'd',
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'funding',
      },
    });
    expect(raised.status).toBe(201);
    await until('both events to arrive', () => receiver.accepted.length >= 2);
    expect(receiver.accepted.map((a) => a.type)).toEqual(['barrier.raised', 'barrier.routed']);

    await page.reload();
    const rows = page.locator('#deliveries tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.first().textContent()).resolves.toMatch(/Delivered/);
    await expect(rows.first().textContent()).resolves.toMatch(/Status 204/);
    await checkPage(page, 'webhook-log');
    await narrow(page, 'webhook-log');

    // Redeliver the raise: it arrives again with the same webhook-id.
    const raiseId = receiver.accepted[0]!.id;
    await page
      .getByRole('button', { name: `Redeliver barrier.raised of ${raised.body.id}` })
      .click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toMatch(
      /sent again, with the same webhook-id/,
    );
    await until(
      'the redelivery',
      () => receiver.accepted.filter((a) => a.id === raiseId).length === 2,
    );

    // Pause: the page says so and why.
    await page.getByLabel('Why pause it (optional)').fill('Their system is being upgraded');
    await page.getByRole('button', { name: 'Pause deliveries' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toMatch(
      /Paused/,
    );
    await expect(page.locator('.govuk-summary-list').textContent()).resolves.toMatch(
      /Their system is being upgraded/,
    );
    await checkPage(page, 'webhook-paused');
    await page.goto(`${api.url}/admin/webhooks`);
    await expect(page.locator('table').textContent()).resolves.toMatch(/Paused/);
    await checkPage(page, 'webhooks-list');
  });
});
