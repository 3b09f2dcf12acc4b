import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Forbidden, NotFound } from '../../../services/errors.ts';
import {
  appWithAllRoutes,
  csvDownload,
  getPage,
  leighLead,
  signedInAs,
  triage,
} from '../../support/route-harness.ts';

const ask = {
  _id: 'ASK-0001',
  reference: 'ASK-0001',
  title: 'Pooled budgets need a statutory basis',
  department: 'mhclg',
  ask: 'Give localities the power to pool budgets.',
  createdBy: 'tom.triage@example.org',
  owner: { email: 'tom.triage@example.org', name: 'Tom Triage' },
  createdAt: new Date('2026-11-02T10:00:00Z'),
  status: 'submitted',
  barrierIds: ['GT-0007'],
  submittedAt: new Date('2026-11-03T10:00:00Z'),
  dueAt: new Date('2026-12-03T10:00:00Z'),
  chasers: 0,
  nextChaseAt: null,
  outcome: null,
  response: null,
  respondedAt: null,
  evidence: null,
  lastSeq: 3,
  projectedAt: new Date(),
} as never;

describe('the asks register', () => {
  it('sends someone who is not signed in to sign in', async () => {
    for (const path of ['/asks', '/asks.csv', '/asks/ASK-0001']) {
      const res = await request(appWithAllRoutes({})).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
  });

  it('lists the page of asks the service finds for the search, with pages to move between', async () => {
    const page = vi.fn(() => Promise.resolve({ items: [ask], total: 30, number: 2, size: 25 }));
    const app = appWithAllRoutes({ ...signedInAs(leighLead), asks: { page: page } });
    const res = await getPage(app, '/asks?q=pooled&page=2');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/asks/ASK-0001"');
    expect(res.text).toContain('Pooled budgets need a statutory basis');
    expect(res.text).toContain('Showing 26 to 30 of 30 asks');
    expect(res.text).toContain('class="govuk-pagination__prev"');
    expect(res.text).toContain('href="/asks?q=pooled"');
    expect(page).toHaveBeenCalledWith(
      expect.objectContaining(leighLead.actor),
      { q: 'pooled' },
      { number: 2, size: 25 },
    );
  });

  it('shows a refusal from the service as a 403 page', async () => {
    const page = () => Promise.reject(new Forbidden('Not for you'));
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(leighLead), asks: { page: page } }),
      '/asks',
    );
    expect(res.status).toBe(403);
  });

  it('downloads every matching ask as CSV with the same search, not a page', async () => {
    const all = vi.fn(() => Promise.resolve([ask]));
    const app = appWithAllRoutes({ ...signedInAs(triage), asks: { all: all } });
    const res = await getPage(app, '/asks.csv?q=pooled');
    expect(res.status).toBe(200);
    expect(csvDownload(res)).toBe('whitehall-asks.csv');
    expect(res.text).toContain('ASK-0001');
    expect(all).toHaveBeenCalledWith(expect.objectContaining(triage.actor), { q: 'pooled' });
  });
});

describe('an ask', () => {
  it('is a 404 page for an ask the person cannot see', async () => {
    const visible = () =>
      Promise.reject(new NotFound('There is no ask ASK-0009 that you can see.'));
    const app = appWithAllRoutes({ ...signedInAs(leighLead), asks: { visible } });
    const res = await getPage(app, '/asks/ASK-0009');
    expect(res.status).toBe(404);
    expect(res.text).toContain('ASK-0009');
  });
});
