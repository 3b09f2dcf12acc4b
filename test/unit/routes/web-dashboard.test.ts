import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Forbidden } from '../../../services/errors.ts';
import {
  appWithAllRoutes,
  csvDownload,
  getPage,
  leighLead,
  signedInAs,
} from '../../support/route-harness.ts';

const figures = {
  byLocality: [{ label: 'wigan', value: 80, n: 5 }],
  byStage: [{ label: 'neighbourhood', value: 50, n: 2 }],
  breachesByWeek: [{ label: 'w', value: 3, weekEnding: Date.parse('2026-11-08T23:59:59Z') }],
  openByCategory: [{ label: 'data-sharing', value: 4 }],
};

const standing = {
  openByLocalityAndStage: [
    {
      locality: 'wigan',
      byStage: { neighbourhood: 1, locality: 2, gmca: 0, whitehall: 0 },
      total: 3,
    },
  ],
  medianResolveByStage: [{ label: 'locality', value: 2 * 8 * 3_600_000, n: 4 }],
  asksByOutcome: [{ label: 'declined', value: 2 }],
};
const dashboard = (read: () => Promise<unknown>) => ({
  read: read as never,
  standing: () => Promise.resolve(standing),
});

describe('the SLA dashboard', () => {
  it('sends someone who is not signed in to sign in', async () => {
    for (const path of ['/dashboard', '/dashboard/by-locality.csv']) {
      const res = await request(appWithAllRoutes({})).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
  });

  it('shows the figures the service reads as at now', async () => {
    const read = vi.fn(() => Promise.resolve(figures));
    const before = Date.now();
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(leighLead), dashboard: dashboard(read) }),
      '/dashboard',
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('Wigan');
    expect(res.text).toContain('80%');
    expect(res.text).toContain('href="/dashboard/by-locality.csv"');
    const [now] = read.mock.calls[0] as unknown as [number];
    expect(now).toBeGreaterThanOrEqual(before);
  });

  it.each([
    ['by-locality', 'Wigan'],
    ['by-stage', 'Neighbourhood'],
    ['breaches', 'Week to 8 November 2026,3'],
    ['categories', 'Data sharing'],
    ['open-by-locality', 'Wigan,1,2,0,0,3'],
    ['time-to-resolve', 'Locality,2 working days,4'],
    ['ask-outcomes', 'Declined,2'],
  ])('downloads the %s table as CSV', async (chart, cell) => {
    const read = () => Promise.resolve(figures);
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(leighLead), dashboard: dashboard(read) }),
      `/dashboard/${chart}.csv`,
    );
    expect(res.status).toBe(200);
    expect(csvDownload(res)).toBe(`sla-dashboard-${chart}.csv`);
    expect(res.text).toContain(cell);
  });

  it('is a 404 page for a table the dashboard does not have', async () => {
    const read = () => Promise.resolve(figures);
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(leighLead), dashboard: dashboard(read) }),
      '/dashboard/nonsense.csv',
    );
    expect(res.status).toBe(404);
    expect(csvDownload(res)).toBeUndefined();
  });

  it('shows a refusal from the service as a 403 page', async () => {
    const read = () => Promise.reject(new Forbidden('No dashboard for you'));
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(leighLead), dashboard: dashboard(read) }),
      '/dashboard',
    );
    expect(res.status).toBe(403);
  });
});
