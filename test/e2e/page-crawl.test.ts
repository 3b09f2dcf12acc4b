/**
 * The page crawl: with the demo data loaded, sign in as each seeded kind of
 * person (a locality lead, a neighbourhood lead, GMCA triage, an admin), and
 * as a visitor signed in as no one read the open register, and
 * follow every link they can reach, one page per template, at 320 and
 * 1280 CSS px. Each page must fit its viewport, say dates, durations and
 * records in words (no ISO date or duration, no JSON object), use no native
 * date input, have exactly one h1 and pass axe-core (WCAG 2.2 AA). Every page
 * is screenshotted at both widths under test-results/screenshots/crawl/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { seedDemo } from '../../scripts/demo/seed-demo.ts';
import { TEST_AUTH_SECRET } from '../support/api.ts';
import { SCREENSHOTS, axeViolations, launchBrowser } from '../support/browser.ts';
import { stackTest } from '../support/fixtures.ts';
import { admin } from '../support/people.ts';

const it = stackTest('crawl');
let browser: Browser;
afterAll(async () => {
  await browser?.close();
});

const WIDTHS = [320, 1280] as const;
const CRAWL = new URL('crawl/', SCREENSHOTS);

/** Text a person must never read: machine dates, durations and records. */
const MACHINE_TEXT: [string, RegExp][] = [
  ['an ISO date', /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?\b/],
  ['an ISO 8601 duration', /\bP(?:\d+[WD])+(?:T(?:\d+[HMS])+)?\b|\bPT\d+[HMS](?:\d+[MS])*\b/],
  ['a JSON object', /\{\s*"[^"]+"\s*:/],
];

/** A URL's template: ids, emails and slugs in the path replaced, the query dropped. */
export function templateOf(url: URL): string {
  return url.pathname
    .split('/')
    .map((seg, i, all) => {
      if (/^(GT|ASK)-\d+$/i.test(seg) || seg.includes('%40') || seg.includes('@')) return ':id';
      if (/^[0-9a-f]{8,}$/i.test(seg) || /^[0-9A-Z]{20,}$/.test(seg)) return ':id';
      if (all[i - 1] === 'localities' && i === 3) return ':slug';
      if (all[i - 1] === 'import' && seg !== 'template.csv') return ':id';
      return seg;
    })
    .join('/');
}

/** Links not to follow: downloads, sign-out, the API and development pages; the open register for a visitor only. */
const skip = (url: URL, visitor: boolean) =>
  /\.(csv|json|docx|pdf|xml|atom)$/.test(url.pathname) ||
  /^\/(api|assets|dev|sign-out|signed-out)\b/.test(url.pathname) ||
  /^\/open\b/.test(url.pathname) !== visitor ||
  url.pathname === '/sign-in' ||
  url.pathname === '/';

interface Problem {
  page: string;
  width: number;
  problem: string;
}

async function checkAt(page: Page, role: string, key: string, width: number): Promise<string[]> {
  await page.setViewportSize({ width, height: 900 });
  await page.waitForLoadState('load');
  const problems: string[] = [];
  const { scroll, inner, text, nativeDates, h1s } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    text: document.body.innerText,
    nativeDates: document.querySelectorAll(
      'input[type="date"], input[type="datetime-local"], input[type="time"], input[type="month"]',
    ).length,
    h1s: document.querySelectorAll('h1').length,
  }));
  if (scroll > inner) problems.push(`wider than the viewport by ${scroll - inner} px`);
  for (const [what, re] of MACHINE_TEXT) {
    const m = re.exec(text);
    if (m) problems.push(`shows ${what}: “${text.slice(Math.max(0, m.index - 30), m.index + 40)}”`);
  }
  if (nativeDates) problems.push(`${nativeDates} native date or time inputs`);
  if (h1s !== 1) problems.push(`${h1s} h1 elements`);
  const violations = await axeViolations(page);
  for (const v of violations)
    problems.push(`axe ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  const name = `${role}${key.replace(/[/:]+/g, '-')}`.replace(/-+$/, '');
  await page.screenshot({ path: new URL(`${name}-${width}.png`, CRAWL).pathname, fullPage: true });
  return problems;
}

/**
 * Signs in as `email` acting as `role`, then visits one page of every template
 * reachable by links; with no `email`, a visitor's crawl of the open register.
 */
async function crawl(api: { url: string }, email: string | null, role: string, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const visitor = email === null;
  if (visitor) {
    await page.goto(`${api.url}/open`);
  } else {
    await page.goto(`${api.url}/sign-in`);
    await page.getByLabel('Who are you signing in as?').selectOption(email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState('load');
  }
  const acting = await page.locator('form[action="/acting-as"] input[name="role"]').all();
  for (const input of acting) {
    if ((await input.getAttribute('value')) === role) {
      await input.locator('xpath=..').getByRole('button').click();
      await page.waitForLoadState('load');
      break;
    }
  }
  const origin = new URL(api.url).origin;
  const queue = [new URL(page.url())];
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const visited: string[] = [];
  while (queue.length > 0 && visited.length < 40) {
    const url = queue.shift()!;
    const key = templateOf(url);
    if (seen.has(key)) continue;
    seen.add(key);
    const res = await page.goto(url.href);
    if (!res || res.status() >= 500) {
      problems.push({ page: url.pathname, width: 0, problem: `answered ${res?.status()}` });
      continue;
    }
    visited.push(key);
    for (const width of WIDTHS)
      for (const problem of await checkAt(page, name, key, width))
        problems.push({ page: url.pathname + url.search, width, problem });
    const hrefs = await page
      .locator('a[href]')
      .evaluateAll((as) =>
        as.filter((a) => !a.hasAttribute('download')).map((a) => (a as HTMLAnchorElement).href),
      );
    for (const href of hrefs) {
      const next = new URL(href);
      next.hash = '';
      if (next.origin === origin && !skip(next, visitor) && !seen.has(templateOf(next)))
        queue.push(next);
    }
  }
  await context.close();
  return { visited, problems };
}

describe('every page each seeded role can reach', () => {
  it('fits 320 and 1280 px, speaks in words, and passes axe-core', async ({ api, stack }) => {
    await seedDemo({
      apiUrl: api.url,
      authSecret: TEST_AUTH_SECRET,
      adminEmail: admin().sub,
      log: () => {},
    });
    mkdirSync(CRAWL, { recursive: true });
    browser = await launchBrowser();
    const { Barrier, Person } = stack.store.models;
    // People with something to see: the owner of an open barrier at the neighbourhood
    // stage, and a lead of that barrier's locality.
    const local = (await Barrier.findOne({ stage: 'neighbourhood', status: 'open' }).lean())!;
    const lead = (await Person.findOne({
      roles: 'locality-lead',
      locality: local.locality,
    }).lean())!;
    const triage = (await Person.findOne({ roles: 'gmca-triage' }).lean())!;
    const roles: [string | null, string, string][] = [
      [null, 'visitor', 'visitor'],
      [lead._id, 'locality-lead', 'locality-lead'],
      [local.ownerEmail!, 'neighbourhood-lead', 'neighbourhood-lead'],
      [triage._id, 'gmca-triage', 'gmca-triage'],
      [admin().sub, 'admin', 'admin'],
    ];
    const all: Problem[] = [];
    const templates = new Set<string>();
    for (const [email, role, name] of roles) {
      const { visited, problems } = await crawl(api, email, role, name);
      expect(visited.length, `${name} reaches pages`).toBeGreaterThan(email ? 3 : 1);
      for (const v of visited) templates.add(v);
      all.push(...problems.map((p) => ({ ...p, page: `${name} ${p.page}` })));
    }
    expect(templates.size).toBeGreaterThanOrEqual(15);
    expect(all.map((p) => `${p.page} at ${p.width} px: ${p.problem}`)).toEqual([]);
  }, 900_000);
});
