import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Forbidden } from '../../../services/errors.ts';
import {
  admin,
  appWithAllRoutes,
  csvDownload,
  fieldValue,
  getPage,
  pageErrors,
  signedInAs,
  triage,
  wiganLead,
} from '../../support/route-harness.ts';

const entries = [
  {
    at: '2026-11-02T10:00:00.000Z',
    actor: 'ada.admin@example.org',
    action: 'person.updated',
    target: 'person:leah.walsh@example.org',
    before: { name: 'Leah Walsh' },
    after: { name: 'Leah Walsh-Smith' },
    via: 'pages',
  },
];

describe('the audit log', () => {
  it('sends someone who is not signed in to sign in', async () => {
    for (const path of ['/admin', '/admin/audit', '/admin/audit.csv']) {
      const res = await request(appWithAllRoutes({})).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
  });

  it.each([
    ['a locality lead', wiganLead],
    ['triage staff', triage],
  ])('is a 403 page for %s, reading nothing', async (_who, who) => {
    const list = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(who), audit: { list } });
    for (const path of ['/admin', '/admin/audit', '/admin/audit.csv'])
      expect((await getPage(app, path)).status).toBe(403);
    expect(list).not.toHaveBeenCalled();
  });

  it('shows the administration index to an admin', async () => {
    const res = await getPage(appWithAllRoutes(signedInAs(admin)), '/admin');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/admin/audit"');
  });

  it('shows the entries the service finds for the filters, dropping empty ones', async () => {
    const list = vi.fn(() => Promise.resolve(entries));
    const app = appWithAllRoutes({ ...signedInAs(admin), audit: { list } });
    const res = await getPage(
      app,
      '/admin/audit?actor=Ada.Admin%40example.org&action=&from=2026-11-01',
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('leah.walsh@example.org');
    expect(res.text).toContain(
      'href="/admin/audit.csv?actor=Ada.Admin%40example.org&amp;from=2026-11-01"',
    );
    expect(list).toHaveBeenCalledWith(expect.objectContaining(admin.actor), {
      actor: 'ada.admin@example.org',
      from: '2026-11-01',
    });
  });

  it('refuses a bad date with the error summary, keeping the filters and reading nothing', async () => {
    const list = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), audit: { list } });
    const res = await getPage(
      app,
      '/admin/audit?actor=ada.admin%40example.org&from-day=32&from-month=13&from-year=2026',
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('govuk-error-summary');
    expect(pageErrors(res.text).summary).toHaveLength(1);
    expect(fieldValue(res.text, 'from-day')).toBe('32');
    expect(fieldValue(res.text, 'from-month')).toBe('13');
    expect(fieldValue(res.text, 'actor')).toBe('ada.admin@example.org');
    expect(list).not.toHaveBeenCalled();
  });

  it('puts a bad date on the date field, not on another', async () => {
    const app = appWithAllRoutes({ ...signedInAs(admin), audit: { list: vi.fn() } });
    const res = await getPage(app, '/admin/audit?to=soon');
    expect(res.status).toBe(400);
    expect(pageErrors(res.text)).toEqual({ summary: ['to'], fields: ['to'] });
  });

  it('shows a refusal from the service as a 403 page', async () => {
    const list = () => Promise.reject(new Forbidden('Only an admin may read the audit log.'));
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(admin), audit: { list } }),
      '/admin/audit',
    );
    expect(res.status).toBe(403);
  });
});

describe('the audit CSV', () => {
  it('downloads the entries for the same filters', async () => {
    const list = vi.fn(() => Promise.resolve(entries));
    const app = appWithAllRoutes({ ...signedInAs(admin), audit: { list } });
    const res = await getPage(app, '/admin/audit.csv?action=person.updated&to=2026-11-30');
    expect(res.status).toBe(200);
    expect(csvDownload(res)).toBe('golden-thread-audit.csv');
    expect(res.text).toContain('leah.walsh@example.org');
    expect(list).toHaveBeenCalledWith(expect.anything(), {
      action: 'person.updated',
      to: '2026-11-30',
    });
  });

  it('refuses bad filters with a 400 page, not a file, reading nothing', async () => {
    const list = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), audit: { list } });
    const res = await getPage(app, '/admin/audit.csv?to=soon');
    expect(res.status).toBe(400);
    expect(csvDownload(res)).toBeUndefined();
    expect(list).not.toHaveBeenCalled();
  });
});
