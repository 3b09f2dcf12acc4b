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

const page = {
  items: [storedBarrier('GT-0001'), storedBarrier('GT-0002', { title: 'Pooled budget refused' })],
  nextCursor: 'next-one',
} as never;

describe('the barriers list', () => {
  it('sends someone who is not signed in to sign in', async () => {
    for (const path of ['/barriers', '/barriers.csv']) {
      const res = await request(appWithAllRoutes({})).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
  });

  it('shows the barriers the service lists, asked with the filters from the query', async () => {
    const list = vi.fn(() => Promise.resolve(page));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { list } });
    const res = await getPage(
      app,
      '/barriers?q=budget&stage=locality&flags=breached&sort=raisedAt',
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('GT-0001');
    expect(res.text).toContain('Pooled budget refused');
    expect(res.text).toMatch(/href="\/barriers\?[^"]*cursor=next-one/);
    expect(list).toHaveBeenCalledWith(
      expect.objectContaining(wiganLead.actor),
      expect.objectContaining({
        words: ['budget'],
        stage: 'locality',
        breached: true,
        sort: 'raisedAt',
        limit: 50,
      }),
    );
  });

  it('offers raising a barrier to a locality lead, not to a neighbourhood lead', async () => {
    const list = () => Promise.resolve({ items: [], nextCursor: null });
    const lead = await getPage(
      appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { list } }),
      '/barriers',
    );
    const hood = await getPage(
      appWithAllRoutes({ ...signedInAs(leighLead), barriers: { list } }),
      '/barriers',
    );
    expect(lead.text).toContain('href="/barriers/new"');
    expect(hood.status).toBe(200);
    expect(hood.text).not.toContain('href="/barriers/new"');
  });

  it('shows a refusal from the service as a 403 page', async () => {
    const list = () => Promise.reject(new Forbidden('Not yours'));
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(leighLead), barriers: { list } }),
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
    const res = await getPage(app, '/barriers.csv?status=open&cursor=abc');
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
