import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import type { AuditView } from '../../../services/audit.ts';
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

const entries: AuditView[] = [
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

/** The audit service as the page uses it: a page of `entries`, and names for them. */
const auditOf = (
  items: AuditView[],
  names: Record<string, string> = {},
  page: { total?: number; number?: number } = {},
) => ({
  page: vi.fn(() =>
    Promise.resolve({
      items,
      total: page.total ?? items.length,
      number: page.number ?? 1,
      size: 25,
    }),
  ),
  context: vi.fn(() =>
    Promise.resolve({ names: new Map(Object.entries(names)), policies: new Map() }),
  ),
});

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
    const page = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(who), audit: { list, page } });
    for (const path of ['/admin', '/admin/audit', '/admin/audit.csv'])
      expect((await getPage(app, path)).status).toBe(403);
    expect(list).not.toHaveBeenCalled();
    expect(page).not.toHaveBeenCalled();
  });

  it('shows the administration index to an admin', async () => {
    const res = await getPage(appWithAllRoutes(signedInAs(admin)), '/admin');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/admin/audit"');
  });

  it('shows the entries the service finds for the filters, dropping empty ones', async () => {
    const audit = auditOf(entries);
    const app = appWithAllRoutes({ ...signedInAs(admin), audit });
    const res = await getPage(
      app,
      '/admin/audit?actor=Ada.Admin%40example.org&action=&from=2026-11-01',
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('leah.walsh@example.org');
    expect(res.text).toContain(
      'href="/admin/audit.csv?actor=Ada.Admin%40example.org&amp;from=2026-11-01"',
    );
    expect(audit.page).toHaveBeenCalledWith(
      expect.objectContaining(admin.actor),
      { actor: 'ada.admin@example.org', from: '2026-11-01' },
      1,
      25,
    );
  });

  it('names the people in each entry, from the service’s names for that page', async () => {
    const audit = auditOf(
      [
        {
          at: '2026-11-02T10:00:00.000Z',
          actor: 'ada.admin@example.org',
          action: 'neighbourhood.assignments-changed',
          target: 'neighbourhood:wigan/leigh',
          before: { lead: 'ben.jones@example.org', deputy: null },
          after: { lead: 'dana.shah@example.org', deputy: null },
          via: 'pages',
        },
      ],
      {
        'ada.admin@example.org': 'Ada Admin',
        'ben.jones@example.org': 'Ben Jones',
        'dana.shah@example.org': 'Dana Shah',
      },
    );
    const res = await getPage(appWithAllRoutes({ ...signedInAs(admin), audit }), '/admin/audit');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Leigh&#39;s neighbourhood lead: Ben Jones → Dana Shah');
    expect(res.text).toMatch(/by Ada Admin, through the pages/);
    expect(audit.context).toHaveBeenCalledWith(expect.objectContaining(admin.actor), [
      expect.objectContaining({ target: 'neighbourhood:wigan/leigh' }),
    ]);
  });

  it('shows a page at a time, the links keeping the filters', async () => {
    const audit = auditOf(entries, {}, { total: 80, number: 2 });
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(admin), audit }),
      '/admin/audit?action=person.updated&page=2',
    );
    expect(res.status).toBe(200);
    expect(audit.page).toHaveBeenCalledWith(expect.anything(), { action: 'person.updated' }, 2, 25);
    expect(res.text).toContain('Showing 26 to 50 of 80 entries, newest first');
    expect(res.text).toContain('govuk-pagination');
    expect(res.text).toContain('href="/admin/audit?action=person.updated&amp;page=3"');
    expect(res.text).toContain('href="/admin/audit?action=person.updated"');
  });

  it('refuses a bad date with the error summary, keeping the filters and reading nothing', async () => {
    const page = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), audit: { page } });
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
    expect(page).not.toHaveBeenCalled();
  });

  it('puts a bad date on the date field, not on another', async () => {
    const app = appWithAllRoutes({ ...signedInAs(admin), audit: { page: vi.fn() } });
    const res = await getPage(app, '/admin/audit?to=soon');
    expect(res.status).toBe(400);
    expect(pageErrors(res.text)).toEqual({ summary: ['to'], fields: ['to'] });
  });

  it('shows a refusal from the service as a 403 page', async () => {
    const page = () => Promise.reject(new Forbidden('Only an admin may read the audit log.'));
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(admin), audit: { page } }),
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
    // The header in words; the cells the full record, as the API gives them.
    const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('When,Who,What,Target,Through,Before,After');
    expect(lines[1]).toMatch(
      /^2026-11-02T10:00:00.000Z,ada.admin@example.org,person.updated,person:leah.walsh@example.org,pages,"\{""name"":""Leah Walsh""\}",/,
    );
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
