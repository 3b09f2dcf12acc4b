/**
 * `npm run seed -- --demo` on a fresh database: through the real API and
 * workflows it fills every page (barriers, a barrier, the triage queue, the
 * asks register and an ask, the dashboard), each clean under axe-core in
 * Debian's Chromium; a second run adds nothing; production refuses it.
 */
import { spawnSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { docxText, pdfText } from '../support/documents.ts';
import { DEMO_MARK, DEMO_POLICY_NAME, seedDemo } from '../../scripts/demo/seed-demo.ts';
import { freePort } from '../../scripts/servers/process.ts';
import { TEST_AUTH_SECRET } from '../support/api.ts';
import { checkPage, launchBrowser } from '../support/browser.ts';
import { stackTest } from '../support/fixtures.ts';
import { admin, gmcaTriage } from '../support/people.ts';

const it = stackTest('demo');
let browser: Browser;
afterAll(async () => {
  await browser?.close();
});

describe('demo data', () => {
  it('fills every page through the real API and workflows, once', async ({ api, stack }) => {
    const lines: string[] = [];
    const started = Date.now();
    const demo = await seedDemo({
      apiUrl: api.url,
      authSecret: TEST_AUTH_SECRET,
      adminEmail: admin().sub,
      log: (l) => lines.push(l),
    });
    expect(Date.now() - started).toBeLessThan(180_000);
    expect(demo.barriers).toHaveLength(60);
    const { Barrier, Ask } = stack.store.models;
    const count = (q: Record<string, unknown>) => Barrier.countDocuments(q);
    expect(await count({})).toBe(60);
    expect(
      new Set((await Barrier.find({}, { locality: 1 }).lean()).map((b) => b.locality)).size,
    ).toBe(10);
    expect(await count({ status: 'open', acknowledged: true })).toBeGreaterThanOrEqual(12);
    expect(await count({ 'sla.paused': true })).toBe(6);
    expect(await count({ stage: 'locality', status: 'open' })).toBeGreaterThanOrEqual(6);
    expect(await count({ stage: 'gmca', status: 'open' })).toBeGreaterThanOrEqual(9);
    expect(await count({ status: 'merged' })).toBe(1);
    expect(await count({ status: 'resolved' })).toBe(6);
    expect(await count({ status: 'withdrawn' })).toBe(3);
    const ask = (await Ask.findById(demo.ask).lean())!;
    expect(ask).toMatchObject({ status: 'answered', outcome: 'partially-agreed' });
    // Each barrier says what it is, and runs on the short-target policy.
    const one = (await Barrier.findOne().lean())!;
    expect(one.description).toContain(DEMO_MARK);
    expect(one.description).toContain(DEMO_POLICY_NAME);
    // Barriers raised after the demo get the normal targets back.
    const policies = (
      await api.call('GET', '/api/v1/policies', { token: await api.token(admin()) })
    ).body.items as { version: number; policy: { calendar: string } }[];
    expect(policies[0]!.policy.calendar).toBe('working-hours-england-and-wales');

    // The answered ask is on the open register, and nothing public names anyone.
    const people = await stack.store.models.Person.find({}, { name: 1 }).lean();
    const names = people.map((p) => p.name).filter((n): n is string => Boolean(n));
    expect(names.length).toBeGreaterThan(10);
    const open = (path: string) => fetch(`${api.url}${path}`);
    const published = (await (await open('/open/asks.json')).json()) as {
      items: { reference: string }[];
    };
    expect(published.items.map((i) => i.reference)).toEqual([demo.ask]);
    const publicTexts: [string, string][] = [];
    for (const path of [
      '/open',
      `/open/asks/${demo.ask}`,
      '/open/asks.json',
      '/open/asks.csv',
      '/open/asks.atom',
    ]) {
      const res = await open(path);
      expect(res.status, path).toBe(200);
      publicTexts.push([path, await res.text()]);
    }
    const docx = await open(`/open/asks/${demo.ask}/evidence-pack.docx`);
    publicTexts.push(['the .docx', docxText(Buffer.from(await docx.arrayBuffer()))]);
    const pdf = await open(`/open/asks/${demo.ask}/evidence-pack.pdf`);
    publicTexts.push(['the PDF', pdfText(Buffer.from(await pdf.arrayBuffer()))]);
    for (const [what, text] of publicTexts) {
      expect(text, what).toContain(demo.ask);
      expect(text.match(/[\w.+-]+@[\w-]+\.[\w.-]+/g), `${what}: an email address`).toBeNull();
      const lower = text.toLowerCase();
      const named = names.filter((n) => lower.includes(n.toLowerCase()));
      expect(named, `${what}: names of people in the directory`).toEqual([]);
    }

    // Running it again changes nothing.
    const again = await seedDemo({
      apiUrl: api.url,
      authSecret: TEST_AUTH_SECRET,
      adminEmail: admin().sub,
      log: (l) => lines.push(l),
    });
    expect(again.alreadyThere).toBe(true);
    expect(await count({})).toBe(60);

    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(`${api.url}/sign-in`);
    await page.getByLabel('Who are you signing in as?').selectOption(gmcaTriage().sub);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/triage$/);
    expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(9);
    await checkPage(page, 'demo-triage');
    for (const [path, name, rows] of [
      ['/barriers', 'demo-barriers', 25],
      ['/asks', 'demo-asks', 1],
      [`/asks/${demo.ask}`, 'demo-ask', 2],
      [`/barriers/${demo.barriers[2]}`, 'demo-barrier', 0],
    ] as const) {
      await page.goto(`${api.url}${path}`);
      if (rows) expect(await page.locator('tbody tr').count(), path).toBeGreaterThanOrEqual(rows);
      await checkPage(page, name);
    }
    // Sixty barriers, 25 a page: the list says so and pages on.
    await page.goto(`${api.url}/barriers`);
    await expect(page.locator('main').textContent()).resolves.toMatch(
      /Showing 1 to 25 of 6\d barriers/,
    );
    await page.locator('.govuk-pagination__next a').click();
    await page.waitForURL(/page=2/);
    expect(await page.locator('tbody tr').count()).toBe(25);
    await page.goto(`${api.url}/dashboard`);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Open barriers by category/);
    await checkPage(page, 'demo-dashboard');
  }, 300_000);

  it('is refused in production, and says how to start Golden Thread when it is not running', async () => {
    const run = (env: Record<string, string>) =>
      spawnSync('node_modules/.bin/tsx', ['scripts/seed.ts', '--demo'], {
        env: { ...process.env, ...env },
      });
    const production = run({ NODE_ENV: 'production' });
    expect(production.status).toBe(2);
    expect(production.stderr.toString()).toMatch(/refused in production/);
    const nothing = run({ NODE_ENV: 'development', PORT: String(await freePort()) });
    expect(nothing.status).toBe(1);
    expect(nothing.stderr.toString()).toMatch(/not answering at .+: start it first with npm start/);
  });
});
