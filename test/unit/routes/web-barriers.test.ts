import type { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Forbidden } from '../../../services/errors.ts';
import {
  appWithAllRoutes,
  csvDownload,
  getPage,
  leighLead,
  signedInAs,
  storedBarrier,
  wiganLead,
} from '../../support/route-harness.ts';

/** Page 2 of 4, 25 barriers a page: two of them shown here. */
const page = {
  items: [storedBarrier('GT-0001'), storedBarrier('GT-0002', { title: 'Pooled budget refused' })],
  total: 80,
  number: 2,
  size: 25,
} as never;
const emptyPage = () => Promise.resolve({ items: [], total: 0, number: 1, size: 25 });

describe('the barriers list', () => {
  it('sends someone who is not signed in to sign in', async () => {
    for (const path of ['/barriers', '/barriers.csv']) {
      const res = await request(appWithAllRoutes({})).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
  });

  it('shows the page of barriers the service gives, asked with the filters and page from the query', async () => {
    const pageOf = vi.fn(() => Promise.resolve(page));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { page: pageOf } });
    const res = await getPage(
      app,
      '/barriers?q=budget&stage=locality&flags=breached&sort=raisedAt&page=2',
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('GT-0001');
    expect(res.text).toContain('Pooled budget refused');
    expect(res.text).toContain('Showing 26 to 50 of 80 barriers');
    expect(pageOf).toHaveBeenCalledWith(
      expect.objectContaining(wiganLead.actor),
      expect.objectContaining({
        words: ['budget'],
        stage: 'locality',
        breached: true,
        sort: 'raisedAt',
      }),
      { number: 2, size: 25 },
    );
    // GOV.UK pagination: previous, next and the numbers, each keeping the filters.
    const nav = /<nav class="govuk-pagination"[\s\S]*?<\/nav>/.exec(res.text)?.[0] ?? '';
    const hrefs = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    const q = 'q=budget&stage=locality&flags=breached&sort=raisedAt';
    expect(hrefs).toEqual([
      `/barriers?${q}`,
      `/barriers?${q}`,
      `/barriers?${q}&page=2`,
      `/barriers?${q}&page=3`,
      `/barriers?${q}&page=4`,
      `/barriers?${q}&page=3`,
    ]);
    expect(nav).toContain('aria-current="page"');
  });

  it("shows the chosen filters in MoJ Frontend's filter, each with a link that takes it away", async () => {
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { page: emptyPage } });
    const res = await getPage(app, '/barriers?stage=locality&flags=breached&flags=at-risk');
    expect(res.text).toContain('class="moj-filter"');
    expect(res.text).toContain('Selected filters');
    expect(res.text.replaceAll('&amp;', '&')).toContain(
      'href="/barriers?stage=locality&flags=breached&sort=nextDeadline"><span class="govuk-visually-hidden">Remove this filter</span> At risk',
    );
    expect(res.text).not.toContain('govuk-pagination');
  });

  it('asks for page 1 when the page asked for is not a number', async () => {
    const pageOf = vi.fn(emptyPage);
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { page: pageOf } });
    expect((await getPage(app, '/barriers?page=two')).status).toBe(200);
    expect(pageOf).toHaveBeenCalledWith(expect.anything(), expect.anything(), {
      number: 1,
      size: 25,
    });
  });

  it('offers raising a barrier to a locality lead, not to a neighbourhood lead', async () => {
    const lead = await getPage(
      appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { page: emptyPage } }),
      '/barriers',
    );
    const hood = await getPage(
      appWithAllRoutes({ ...signedInAs(leighLead), barriers: { page: emptyPage } }),
      '/barriers',
    );
    expect(lead.text).toContain('href="/barriers/new"');
    expect(hood.status).toBe(200);
    expect(hood.text).not.toContain('href="/barriers/new"');
  });

  it('shows a refusal from the service as a 403 page', async () => {
    const pageOf = () => Promise.reject(new Forbidden('Not yours'));
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(leighLead), barriers: { page: pageOf } }),
      '/barriers',
    );
    expect(res.status).toBe(403);
    expect(res.text).toContain('Not yours');
  });
});

describe('the barriers CSV', () => {
  it('downloads the export, with the filters but without paging', async () => {
    const csv = vi.fn(() => ({
      filename: 'golden-thread-barriers.csv',
      write: (out: Writable) => {
        out.end('Reference,Title\r\nGT-0001,Barrier GT-0001\r\n');
        return Promise.resolve();
      },
    }));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { csv } });
    const res = await getPage(app, '/barriers.csv?status=open&page=3');
    expect(res.status).toBe(200);
    expect(csvDownload(res)).toBe('golden-thread-barriers.csv');
    expect(res.text).toContain('GT-0001');
    expect(csv).toHaveBeenCalledWith(
      expect.objectContaining(wiganLead.actor),
      expect.objectContaining({ status: 'open' }),
    );
    const query = (csv.mock.calls[0] as unknown[])[1] as Record<string, unknown>;
    expect(query).not.toHaveProperty('limit');
    expect(query).not.toHaveProperty('cursor');
    expect(query).not.toHaveProperty('page');
  });

  it('answers an export the service refuses with a 403 page, not a file', async () => {
    const csv = () => {
      throw new Forbidden('Not yours to export');
    };
    const app = appWithAllRoutes({ ...signedInAs(leighLead), barriers: { csv } });
    const res = await getPage(app, '/barriers.csv');
    expect(res.status).toBe(403);
    expect(csvDownload(res)).toBeUndefined();
  });
});
