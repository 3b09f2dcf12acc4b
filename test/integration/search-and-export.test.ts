/**
 * Finding and exporting the register: `q` on barriers and asks (every word,
 * any case, reference, title or description, always within the reader's
 * scope) and `format=csv` (every matching barrier, not a page; the CSV rules
 * of the asks register: BOM, CRLF, RFC 4180 quoting, formula cells defused).
 */
import { describe, expect } from 'vitest';
import type { TestApi } from '../support/api.ts';
import { stackTest } from '../support/fixtures.ts';
import { gmcaTriage, localityLead } from '../support/people.ts';

const it = stackTest('search-export');

type Api = TestApi;

const raise = async (
  api: Api,
  locality: 'wigan' | 'bolton',
  neighbourhood: string,
  title: string,
  description: string,
  category = 'data-sharing',
) => {
  const res = await api.call('POST', '/api/v1/barriers', {
    token: await api.token(localityLead(locality)),
    body: { title, description, locality, neighbourhood, category },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
};

let ids: Record<string, string> = {};
it.beforeAll(async ({ api }) => {
  ids = {
    consent: await raise(
      api,
      'wigan',
      'leigh',
      'Data sharing blocked by CONSENT rules',
      'GP records cannot be shared with the council, "even with consent", they say.\nSecond line.',
    ),
    pooled: await raise(
      api,
      'wigan',
      'leigh',
      'Pooled budget refused',
      'Ring-fenced grant',
      'funding',
    ),
    formula: await raise(api, 'wigan', 'leigh', '=HYPERLINK("http://evil.example")', '+SUM(A1)'),
    bolton: await raise(
      api,
      'bolton',
      'farnworth-and-kearsley',
      'Data sharing in Bolton',
      'consent',
    ),
  };
});

const list = async (api: Api, who: 'wigan' | 'gmca', query: string) => {
  const token = await api.token(who === 'gmca' ? gmcaTriage() : localityLead('wigan'));
  const res = await api.call('GET', `/api/v1/barriers?${query}`, { token });
  expect(res.status, query).toBe(200);
  return (res.body.items as { id: string }[]).map((b) => b.id).sort();
};

describe('q on the barriers list', () => {
  it('needs every word, in any case, in the reference, title or description', async ({ api }) => {
    expect(await list(api, 'gmca', 'q=consent%20DATA')).toEqual([ids.bolton, ids.consent].sort());
    expect(await list(api, 'gmca', 'q=consent%20pooled')).toEqual([]);
    expect(await list(api, 'gmca', `q=${ids.pooled!.toLowerCase()}`)).toEqual([ids.pooled]);
    // Regular-expression characters are text, not patterns.
    expect(await list(api, 'gmca', 'q=%22http%3A%2F%2Fevil.example%22')).toEqual([ids.formula]);
    expect(await list(api, 'gmca', 'q=.*')).toEqual([]);
  });

  it('combines with the filters and stays within the reader’s scope', async ({ api }) => {
    expect(await list(api, 'gmca', 'q=sharing&category=funding')).toEqual([]);
    expect(await list(api, 'wigan', 'q=consent')).toEqual([ids.consent]);
  });

  it('refuses a search longer than 200 characters, naming it', async ({ api }) => {
    const res = await api.call('GET', `/api/v1/barriers?q=${'a'.repeat(201)}`, {
      token: await api.token(gmcaTriage()),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'query.q', reason: 'must be at most 200 characters' },
    ]);
  });
});

describe('format=csv on the barriers list', () => {
  const csv = async (api: Api, who: 'wigan' | 'gmca', query: string) => {
    const token = await api.token(who === 'gmca' ? gmcaTriage() : localityLead('wigan'));
    const res = await fetch(`${api.url}/api/v1/barriers?format=csv&${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?golden-thread-barriers.csv"?$/,
    );
    // Kept as sent: fetch's text() would drop the byte-order mark.
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  };

  it('is every matching barrier (not a page), quoted, with formula cells defused', async ({
    api,
  }) => {
    const text = await csv(api, 'gmca', 'limit=1&sort=raisedAt');
    expect(text.startsWith('\uFEFFReference,Title,Description,Locality,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    // Four barriers despite limit=1; the description's quotes doubled and its newline kept inside quotes.
    expect(text).toContain(
      `${ids.consent},Data sharing blocked by CONSENT rules,"GP records cannot be shared with the council, ""even with consent"", they say.\nSecond line.",wigan,leigh,`,
    );
    expect(text).toContain(`${ids.formula},"'=HYPERLINK(""http://evil.example"")",'+SUM(A1),wigan`);
    const rows = text.split('\r\n').filter((l) => /^GT-/.test(l));
    expect(rows.map((r) => r.slice(0, r.indexOf(',')))).toEqual([
      ids.bolton,
      ids.formula,
      ids.pooled,
      ids.consent,
    ]);
  });

  it('holds to the reader’s scope and search', async ({ api }) => {
    const wigan = await csv(api, 'wigan', 'q=consent');
    expect(wigan).toContain(ids.consent);
    expect(wigan).not.toContain(ids.bolton);
    expect(wigan.trimEnd().split('\r\n')).toHaveLength(2);
    const refused = await api.call('GET', '/api/v1/barriers?format=csv&locality=bolton', {
      token: await api.token(localityLead('wigan')),
    });
    expect(refused.status).toBe(403);
  });
});
