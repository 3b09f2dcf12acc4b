/**
 * A Whitehall ask from bundling to the open register, in Chromium: a GMCA
 * officer bundles two barriers from two localities into an ask, submits it,
 * records the department's response, previews and publishes it; a visitor
 * with no session finds it on /open, reads the response and downloads the
 * CSV, the JSON, the Atom feed and both evidence packs; the officer withdraws
 * it and the visitor sees it withdrawn. An unpublished ask is a 404 at every
 * open URL, and a draft cannot be published.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import type { TestApi } from '../support/api.ts';
import { checkPage, launchBrowser } from '../support/browser.ts';
import { docxText, pdfText } from '../support/documents.ts';
import { stackTest } from '../support/fixtures.ts';
import { gmcaTriage, localityLead } from '../support/people.ts';
import { ackSecondsPolicy } from '../support/policies.ts';
import { until } from '../support/processes.ts';
import type { TestStack } from '../support/stack.ts';

// Barriers climb to GMCA in seconds: two seconds to acknowledge at each stage below.
const policy = ackSecondsPolicy('test-open-register', { neighbourhood: 2, locality: 2 });
const it = stackTest('open-register', { api: { policy } });

let stack: TestStack;
let api: TestApi;
let browser: Browser;
it.beforeAll(async ({ stack: s, api: a }) => {
  [stack, api] = [s, a];
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const RESPONSE =
  'The department will publish national guidance on sharing records between councils and the NHS by the summer.';

async function raiseAndClimb(locality: string, neighbourhood: string, title: string) {
  const raised = await api.call('POST', '/api/v1/barriers', {
    token: await api.token(localityLead(locality)),
    body: {
      title,
      description: `Teams in ${neighbourhood} cannot see one another’s records, so families tell their story again and again.`,
      locality,
      neighbourhood,
      category: 'data-sharing',
      focusArea: 'health-inclusion',
      peopleAffected: locality === 'wigan' ? 300 : 120,
    },
  });
  expect(raised.status).toBe(201);
  return raised.body.id as string;
}

async function signInAs(page: Page, email: string) {
  await page.goto(`${api.url}/sign-in`);
  await page.getByLabel('Who are you signing in as?').selectOption(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('load');
}

/** What a visitor's browser downloads from a link on the page it is on. */
async function download(page: Page, name: string | RegExp): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name }).click(),
  ]);
  const path = await file.path();
  const { readFileSync } = await import('node:fs');
  return readFileSync(path);
}

describe('the open register in Chromium', () => {
  it('bundle, submit, answer, preview and publish; a visitor reads it; withdraw', async () => {
    const wigan = await raiseAndClimb(
      'wigan',
      'leigh',
      'Data-sharing agreement blocks a joint caseload',
    );
    const bolton = await raiseAndClimb(
      'bolton',
      'westhoughton',
      'Records cannot be shared between health visitors and housing',
    );
    for (const id of [wigan, bolton])
      await until(
        `${id} at gmca`,
        async () => (await stack.store.models.Barrier.findById(id).lean())?.stage === 'gmca',
      );

    const officer = await browser.newPage();
    await signInAs(officer, gmcaTriage().sub);
    // Bundles two barriers from two localities: a new ask from the first, the second added.
    await officer.goto(`${api.url}/barriers/${wigan}`);
    await officer.locator('#promote-askTitle').fill('Let councils and the NHS share records');
    await officer.locator('#promote-department').selectOption('dhsc');
    await officer
      .locator('#promote-askText')
      .fill('Issue national guidance that lets neighbourhood teams share records.');
    await officer.getByRole('button', { name: 'Promote to a Whitehall ask' }).click();
    await officer.waitForURL(/done=promote/);
    const askId = (await stack.store.models.Barrier.findById(wigan).lean())!.askId!;
    expect(askId).toMatch(/^ASK-\d+$/);
    await officer.goto(`${api.url}/barriers/${bolton}`);
    await officer.locator('#promote-askId').fill(askId);
    await officer.getByRole('button', { name: 'Promote to a Whitehall ask' }).click();
    await officer.waitForURL(/done=promote/);

    // A draft cannot be published, and an unpublished ask is nowhere on the register.
    await officer.goto(`${api.url}/asks/${askId}/publish`);
    expect(await officer.locator('main').textContent()).toContain('is a draft');
    for (const path of [
      `/open/asks/${askId}`,
      `/open/asks/${askId}/evidence-pack.docx`,
      `/open/asks/${askId}/evidence-pack.pdf`,
    ])
      expect((await fetch(`${api.url}${path}`)).status, path).toBe(404);
    const none = (await (await fetch(`${api.url}/open/asks.json`)).json()) as { items: unknown[] };
    expect(none.items).toEqual([]);

    // Submit, then record the department's response, from the ask's page.
    await officer.goto(`${api.url}/asks/${askId}`);
    await officer.getByRole('button', { name: 'Submit the ask' }).click();
    await officer.waitForURL(/done=submit/);
    await officer.getByLabel('Partially agreed').check();
    await officer.getByLabel('The department’s response').fill(RESPONSE);
    await officer.getByRole('button', { name: 'Record the response' }).click();
    await officer.waitForURL(/done=record-response/);

    // Preview, then publish.
    await officer.getByRole('link', { name: 'Publish this ask' }).click();
    await officer.waitForURL(/\/publish$/);
    const preview = (await officer.locator('.gt-preview').textContent()) ?? '';
    expect(preview).toContain(RESPONSE);
    expect(preview).toContain('Teams in leigh cannot see');
    expect(preview).not.toContain(gmcaTriage().sub);
    await checkPage(officer, 'publish-preview');
    // Without the confirmation nothing is published.
    await officer.getByRole('button', { name: 'Publish this ask' }).click();
    await officer.locator('.govuk-error-summary').waitFor();
    expect((await fetch(`${api.url}/open/asks/${askId}`)).status).toBe(404);
    await officer.getByLabel(/I have read the preview/).check();
    await officer.getByRole('button', { name: 'Publish this ask' }).click();
    await officer.waitForURL(/done=published/);
    expect(await officer.locator('.govuk-notification-banner').textContent()).toContain(
      'published on the open register',
    );
    expect(await officer.locator('.moj-timeline').textContent()).toContain(
      'Published on the open register',
    );

    // A visitor with no session finds it, reads the response and downloads everything.
    const visitorContext = await browser.newContext({ acceptDownloads: true });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${api.url}/open`);
    await checkPage(visitor, 'open-register');
    expect(await visitor.locator('nav[aria-label="Menu"]').count()).toBe(0);
    await visitor.getByLabel('Department').selectOption('dhsc');
    await visitor.getByLabel('Outcome').selectOption('partially-agreed');
    await visitor.getByRole('button', { name: 'Show asks' }).click();
    await visitor.waitForURL(/department=dhsc/);
    await visitor.getByRole('link', { name: `Read the ask ${askId}` }).click();
    await visitor.waitForURL(new RegExp(`/open/asks/${askId}$`));
    expect(await visitor.locator('main').textContent()).toContain(RESPONSE);
    await checkPage(visitor, 'open-ask');
    const docx = docxText(await download(visitor, /evidence pack \(Word/));
    expect(docx).toContain(askId);
    expect(docx).toContain('Data-sharing agreement blocks a joint caseload');
    const pdf = pdfText(await download(visitor, /evidence pack \(PDF/));
    expect(pdf).toContain(askId);
    expect(pdf).toContain('Open Government Licence');
    await visitor.goto(`${api.url}/open`);
    const csv = (await download(visitor, 'as a spreadsheet (CSV)')).toString('utf8');
    expect(csv).toContain(askId);
    expect(csv).toContain('Partially agreed');
    const json = await visitor.request.get(`${api.url}/open/asks.json`);
    const register = (await json.json()) as { items: { reference: string; response: string }[] };
    expect(register.items).toEqual([
      expect.objectContaining({ reference: askId, response: RESPONSE }),
    ]);
    const atom = await visitor.request.get(`${api.url}/open/asks.atom`);
    expect(atom.headers()['content-type']).toMatch(/atom\+xml/);
    expect(await atom.text()).toContain(`/open/asks/${askId}`);
    // An aggregator polls cheaply. (Not with fetch(), which marks a conditional request no-cache.)
    const again = await visitor.request.get(`${api.url}/open/asks.json`, {
      headers: { 'If-None-Match': json.headers().etag! },
    });
    expect(again.status()).toBe(304);

    // Without JavaScript the register works the same: filter, then read.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const noScript = await plain.newPage();
    await noScript.goto(`${api.url}/open`);
    await noScript.getByLabel('Search asks').fill('share records');
    await noScript.getByRole('button', { name: 'Show asks' }).click();
    await noScript.waitForURL(/q=share\+records/);
    await noScript.getByRole('link', { name: `Read the ask ${askId}` }).click();
    expect(await noScript.locator('main').textContent()).toContain(RESPONSE);
    await plain.close();

    // The officer withdraws it; the visitor sees it withdrawn, and it is gone from the files.
    await officer.getByRole('button', { name: 'Withdraw from the open register' }).click();
    await officer.waitForURL(/done=unpublished/);
    await visitor.goto(`${api.url}/open/asks/${askId}`);
    expect(await visitor.locator('main').textContent()).toContain(
      'was withdrawn from the open register on',
    );
    await checkPage(visitor, 'open-ask-withdrawn');
    const after = (await (await fetch(`${api.url}/open/asks.json`)).json()) as {
      items: unknown[];
    };
    expect(after.items).toEqual([]);
    expect((await fetch(`${api.url}/open/asks/${askId}/evidence-pack.pdf`)).status).toBe(404);

    // Both acts are in the audit log.
    const audit = await stack.store.models.AuditEntry.find({ target: `ask:${askId}` }).lean();
    expect(audit.map((e) => e.action)).toEqual(['ask.published', 'ask.unpublished']);
    await visitorContext.close();
    await officer.close();
  }, 240_000);
});
