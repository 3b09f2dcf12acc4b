/**
 * Real people, a real provider, a real browser: sign-in through an OpenID
 * provider started on loopback (oidc-provider, with its own login page), the
 * directory deciding access on every request, and the administration pages
 * (people, localities, SLA policies and migration, the audit log and its CSV),
 * in Debian's Chromium, every page checked by axe-core.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { checkPage, launchBrowser } from '../support/browser.ts';
import { stackTest } from '../support/fixtures.ts';
import { leighRaiseBody } from '../support/api.ts';
import { DEFAULT_POLICY } from '../../domain/policy/policy.ts';
import { admin, localityLead, neighbourhood } from '../support/people.ts';

const it = stackTest('sign-in', { oidc: true });
let browser: Browser;
const contexts: BrowserContext[] = [];

it.beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  contexts.push(context);
  return context.newPage();
}

/** Signs in at the provider's own login page (and its consent page, the first time). */
async function signIn(page: Page, appUrl: string, email: string) {
  await page.goto(`${appUrl}/sign-in`);
  await page.locator('input[name=login]').fill(email);
  await page.locator('input[name=password]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  await Promise.race([consent.waitFor(), page.waitForURL(`${appUrl}/**`)]);
  if (!page.url().startsWith(appUrl)) await consent.click();
  await page.waitForURL(`${appUrl}/**`);
}

const wiganLead = localityLead('wigan').sub;
const adminEmail = admin().sub;
const dana = 'dana.okafor@example.org';

describe('sign-in through the organisation and administration', () => {
  it('a locality lead signs in at the provider and lands on their barriers; sign-out ends both sessions', async ({
    api,
    stack,
  }) => {
    const page = await newPage();
    await signIn(page, api.url, wiganLead);
    expect(new URL(page.url()).pathname).toBe('/barriers');
    await expect(page.locator('.gt-user-bar__who').textContent()).resolves.toMatch(
      /Locality lead, Wigan/,
    );
    await checkPage(page, 'oidc-barriers');

    // The cookie is an opaque id: no token from the provider is in it.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'gt_session')!;
    expect(cookie.value).not.toMatch(/^ey/);
    expect(cookie.httpOnly).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${api.url}/signed-out`);
    await checkPage(page, 'oidc-signed-out');
    const session = await stack.store.models.Session.findOne({ email: wiganLead }).lean();
    expect(session?.revokedAt).toBeInstanceOf(Date);
    // Signed out at the provider too: signing in asks for the login again.
    await page.goto(`${api.url}/barriers`);
    await page.waitForURL(/\/interaction\//);
    await expect(page.locator('input[name=login]').isVisible()).resolves.toBe(true);
  });

  it('a person holding two roles acts in one at a time, and switches', async ({
    api,
    oidc,
    stack,
  }) => {
    const lead = neighbourhood('wigan', 'wigan-west');
    const saved = await api.call('PUT', `/api/v1/people/${lead.lead}`, {
      token: await oidc.personToken(adminEmail),
      body: {
        name: 'Two Roles',
        roles: ['neighbourhood-lead', 'locality-lead'],
        locality: 'wigan',
        neighbourhood: 'wigan-west',
      },
    });
    expect(saved.status).toBe(200);
    const page = await newPage();
    await signIn(page, api.url, lead.lead);
    const who = page.locator('.gt-user-bar__who');
    await expect(who.textContent()).resolves.toMatch(/Neighbourhood lead, Wigan West, Wigan/);
    expect(await page.getByRole('link', { name: 'Raise a barrier' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Act as locality lead' }).click();
    await expect(who.textContent()).resolves.toMatch(/\(Locality lead, Wigan\)/);
    expect(await page.getByRole('link', { name: 'Raise a barrier' }).count()).toBeGreaterThan(0);
    await checkPage(page, 'oidc-two-roles');

    // An admin signs them out everywhere: their access stays, their session does not.
    const adminPage = await newPage();
    await signIn(adminPage, api.url, adminEmail);
    await adminPage.goto(`${api.url}/admin/people/${encodeURIComponent(lead.lead)}`);
    await adminPage.getByRole('link', { name: /Sign out everywhere/ }).click();
    await checkPage(adminPage, 'admin-end-sessions');
    await adminPage.getByRole('button', { name: 'End their sessions' }).click();
    await adminPage.waitForURL(/done=signedOut/);
    expect(
      await stack.store.models.Session.countDocuments({ email: lead.lead, revokedAt: null }),
    ).toBe(0);
  });

  it('someone the provider knows but the directory does not gets the no-access page, and nothing is created', async ({
    api,
    stack,
  }) => {
    const page = await newPage();
    const answers: number[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(`${api.url}/sign-in/callback`)) answers.push(r.status());
    });
    await signIn(page, api.url, 'stranger@example.org');
    expect(answers).toEqual([403]);
    await expect(page.locator('h1').textContent()).resolves.toBe('You do not have access yet');
    await checkPage(page, 'oidc-no-access');
    expect(await stack.store.models.Person.findById('stranger@example.org')).toBeNull();
    expect(await stack.store.models.Session.countDocuments({ email: 'stranger@example.org' })).toBe(
      0,
    );
  });

  it('an admin gives someone access on the people page; it applies on their next request, and so does removing it', async ({
    api,
    oidc,
  }) => {
    const raised = await api.call('POST', '/api/v1/barriers', {
      token: await oidc.personToken(wiganLead),
      body: leighRaiseBody('Shared records blocked by consent rules'),
    });
    expect(raised.status).toBe(201);
    const barrier = raised.body.id as string;

    const adminPage = await newPage();
    await signIn(adminPage, api.url, adminEmail);
    await adminPage.getByRole('link', { name: 'Administration' }).click();
    await checkPage(adminPage, 'admin-index');
    await adminPage.getByRole('link', { name: 'People', exact: true }).click();
    await checkPage(adminPage, 'admin-people');
    await adminPage.getByRole('button', { name: 'Add a person' }).click();
    // Nothing filled in: errors, nothing saved.
    await adminPage.getByRole('button', { name: 'Save' }).click();
    await expect(adminPage.locator('.govuk-error-summary').textContent()).resolves.toMatch(
      /Enter an email address/,
    );
    await checkPage(adminPage, 'admin-person-errors');
    await adminPage.getByLabel('Email address').fill(dana);
    await adminPage.getByLabel('Name').fill('Dana Okafor');
    await adminPage.getByRole('button', { name: 'Save' }).click();
    await adminPage.waitForURL(/\/admin\/people\?done=saved$/);

    // Dana is in the directory without a role: signed in, but not let in.
    const danaPage = await newPage();
    await signIn(danaPage, api.url, dana);
    await expect(danaPage.locator('h1').textContent()).resolves.toBe('You do not have access yet');

    // The admin finds her (the list is a page at a time) and makes her Leigh's neighbourhood lead...
    await adminPage.getByLabel('Name or email').fill('okafor');
    await adminPage.getByRole('button', { name: 'Apply filters' }).click();
    await adminPage.getByRole('link', { name: 'Dana Okafor' }).click();
    await checkPage(adminPage, 'admin-person');
    await adminPage.getByLabel('Neighbourhood lead').check();
    await adminPage.getByLabel('Locality', { exact: true }).selectOption('wigan');
    await adminPage
      .getByLabel('Neighbourhood', { exact: true })
      .selectOption({ label: 'Leigh (Wigan)' });
    await adminPage.getByRole('button', { name: 'Save' }).click();
    await adminPage.waitForURL(/done=saved/);

    // ...and on her next request she acts at the neighbourhood stage, without signing in again.
    const ack = await danaPage.goto(`${api.url}/barriers/${barrier}`);
    expect(ack?.status()).toBe(200);
    await danaPage.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(danaPage.locator('.govuk-notification-banner').textContent()).resolves.toMatch(
      / acknowledged/,
    );

    // Removing her access: a confirmation page, then her next request is refused.
    await adminPage.goto(`${api.url}/admin/people/${encodeURIComponent(dana)}`);
    await adminPage.getByRole('link', { name: /Remove access/ }).click();
    // Her role gives her access; routing names the neighbourhood's lead and deputy, not her.
    await expect(adminPage.locator('main').textContent()).resolves.toMatch(
      /lose every role \(neighbourhood-lead\).+routing does not change/s,
    );
    await checkPage(adminPage, 'admin-remove-access');
    await adminPage.getByRole('button', { name: 'Remove access' }).click();
    await adminPage.waitForURL(/done=removed/);
    const refused = await danaPage.goto(`${api.url}/barriers/${barrier}`);
    await danaPage.waitForLoadState();
    expect(refused?.status()).toBe(403);
    await expect(danaPage.locator('h1').textContent()).resolves.toBe('You do not have access yet');
  });

  it('an admin marks a lead away (seeing what routing does), edits a locality, reassigns a barrier', async ({
    api,
    oidc,
  }) => {
    const page = await newPage();
    await signIn(page, api.url, adminEmail);
    const leigh = neighbourhood('wigan', 'leigh');
    await page.goto(`${api.url}/admin/people/${encodeURIComponent(leigh.lead)}/availability`);
    await expect(page.locator('main').textContent()).resolves.toMatch(
      /Leigh, Wigan: new barriers for the neighbourhood lead go to .+ instead/,
    );
    await checkPage(page, 'admin-away');
    await page.getByRole('button', { name: 'Mark as away' }).click();
    await page.waitForURL(/done=away/);

    await page.goto(`${api.url}/admin/localities`);
    await checkPage(page, 'admin-localities');
    await page.getByRole('link', { name: 'Wigan' }).click();
    await checkPage(page, 'admin-locality');
    await page.getByLabel('Locality leads').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toMatch(
      /at least one locality lead/,
    );
    await page.getByLabel('Locality leads').fill(wiganLead);
    await page.getByLabel('Funding specialist').selectOption(leigh.deputy);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/localities\?done=saved$/);

    const raised = await api.call('POST', '/api/v1/barriers', {
      token: await oidc.personToken(wiganLead),
      body: leighRaiseBody('Pooled budget rules'),
    });
    await page.goto(`${api.url}/barriers/${raised.body.id}`);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Reassign' }) });
    await form.getByLabel('New owner (email)').fill('nobody@example.org');
    await form.getByRole('button', { name: 'Reassign' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toMatch(
      /not a person with a role/,
    );
    const again = page.locator('form', { has: page.getByRole('button', { name: 'Reassign' }) });
    await again.getByLabel('New owner (email)').fill(leigh.lead);
    await again.getByRole('button', { name: 'Reassign' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toMatch(
      / reassigned/,
    );
  });

  it('an admin adds a policy version with a preview, moves open barriers onto it after confirming, and every change is in the audit log and its CSV', async ({
    api,
    oidc,
    stack,
  }) => {
    const open = await stack.store.models.Barrier.countDocuments({ closedAt: null });
    expect(open).toBeGreaterThan(0);
    const page = await newPage();
    await signIn(page, api.url, adminEmail);
    await page.goto(`${api.url}/admin/policies`);
    await checkPage(page, 'admin-policies');
    await page.getByRole('button', { name: 'Add a version' }).click();
    const localityResolve = page
      .locator('fieldset', { hasText: 'Locality stage' })
      .getByLabel('Resolve within');
    await localityResolve.fill('soon');
    await page.getByRole('button', { name: 'Preview deadlines' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toMatch(
      /such as 10 days or 4 hours/,
    );
    await checkPage(page, 'admin-policy-errors');
    await page
      .locator('fieldset', { hasText: 'Locality stage' })
      .getByLabel('Resolve within')
      .fill('15 days');
    await page.getByRole('button', { name: 'Preview deadlines' }).click();
    await expect(page.locator('#preview').textContent()).resolves.toMatch(
      /due to acknowledge by .+ and to resolve by/,
    );
    await checkPage(page, 'admin-policy-preview');
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.waitForURL(/done=added/);

    await page.getByRole('button', { name: 'Move open barriers to another version' }).click();
    await checkPage(page, 'admin-migrate');
    await page.getByLabel('Move open barriers on').selectOption('1');
    await page.getByLabel('To', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe(
      `Move ${open} open barrier${open === 1 ? '' : 's'} from version 1 to 2`,
    );
    await expect(page.locator('main').textContent()).resolves.toMatch(
      /Resolve target at locality: 10 working days → 15/,
    );
    await checkPage(page, 'admin-migrate-confirm');
    await page.getByRole('button', { name: /^Move \d+ barrier/ }).click();
    // The move runs as a workflow: its page follows it and shows the result once done.
    await page.waitForURL(/\/admin\/policies\/moves\/MOVE-/);
    await page
      .locator('.govuk-panel__title', { hasText: /^\s*Moved \d+ barriers? to version 2/ })
      .waitFor({ timeout: 30_000 });
    await expect(page.locator('.govuk-panel').textContent()).resolves.toMatch(
      new RegExp(`${open} of ${open} barriers? processed: ${open} moved`),
    );
    await checkPage(page, 'admin-migrated');
    const some = (await stack.store.models.Barrier.findOne({ closedAt: null }).lean())!;
    expect(some.policy.version).toBe(2);
    const timeline = await api.call('GET', `/api/v1/barriers/${some._id}`, {
      token: await oidc.personToken(adminEmail),
    });
    expect(timeline.body.timeline.map((e: { type: string }) => e.type)).toContain(
      'policy-migrated',
    );

    // A version uploaded as a JSON file: its problems named, then saved.
    await page.goto(`${api.url}/admin/policies/new`);
    const policy = { ...DEFAULT_POLICY, version: 3, name: 'Uploaded policy' };
    const upload = (doc: unknown) =>
      page.getByLabel('Or upload a policy document (JSON)').setInputFiles({
        name: 'policy.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(doc)),
      });
    await upload({
      ...policy,
      stages: { ...policy.stages, gmca: { acknowledge: 'P2D', resolve: 'soon' } },
    });
    await page.getByRole('button', { name: 'Save version' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toMatch(
      /stages\.gmca\.resolve/,
    );
    await upload(policy);
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.waitForURL(/done=added/);
    await expect(page.locator('table').textContent()).resolves.toMatch(/Uploaded policy/);

    // The audit page lists every change made through the pages in this file.
    await page.goto(`${api.url}/admin/audit`);
    await checkPage(page, 'admin-audit');
    const text = (await page.locator('main').textContent()) ?? '';
    for (const action of [
      'Person added',
      'Person changed',
      'Access removed',
      'Marked as away',
      'Locality leads or specialists changed',
      'Barrier reassigned',
      'SLA policy version added',
      'Open barriers moved to another policy version',
    ])
      expect(text, action).toContain(action);
    // A new version says what it changed from the one before, and people are named.
    expect(text).toContain('Version 2 added, after version 1');
    expect(text).toContain('Resolve target at locality: 10 working days → 15');
    expect(text).toContain('Person added: Dana Okafor (dana.okafor@example.org)');
    await page.getByLabel('Target starts with').fill(`person:${dana}`);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/target=person/);
    expect(await page.locator('.gt-audit__entry').count()).toBe(3);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download these entries (CSV)' }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('When,Who,What,Target,Through,Before,After');
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual([
      'person.access-removed',
      'person.updated',
      'person.added',
    ]);
    expect(lines.every((l, i) => i === 0 || l.includes(`,${adminEmail},`))).toBe(true);
  });
});
