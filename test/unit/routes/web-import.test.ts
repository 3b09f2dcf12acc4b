import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Conflict, NotFound, Rejected } from '../../../services/errors.ts';
import { ImportRefused } from '../../../services/imports.ts';
import {
  admin,
  appWithAllRoutes,
  csvDownload,
  getPage,
  leighLead,
  pageCookie,
  pageCsrf,
  pageErrors,
  postForm,
  signedInAs,
  triage,
  wiganLead,
} from '../../support/route-harness.ts';

const stored = {
  _id: 'IMP-0001',
  filename: 'wigan-log.csv',
  uploadedBy: 'leah.walsh@example.org',
  uploadedAt: new Date('2026-11-02T10:00:00Z'),
  status: 'checked',
  problems: [],
  problemCount: 0,
  rows: 2,
  alreadyImported: 0,
  startedBy: null,
  startedAt: null,
  finishedAt: null,
  done: 0,
  created: 0,
  skipped: 0,
} as never;

const planned = [
  {
    row: 2,
    details: { title: 'Shared records blocked', locality: 'wigan', neighbourhood: 'leigh' },
    raisedOn: new Date('2026-10-01T00:00:00Z'),
    status: 'open',
    barrierId: null,
    byThisImport: false,
  },
] as never;

const CSV = 'Title,Locality\nShared records blocked,wigan\n';

/** The upload form as a browser posts it: multipart, with the CSRF token and a file. */
const upload = (
  app: Parameters<typeof request>[0],
  form: { csrf?: boolean; field?: string } = {},
) => {
  const req = request(app).post('/import').set('Cookie', pageCookie);
  if (form.csrf !== false) void req.field('_csrf', pageCsrf);
  return req.attach(form.field ?? 'upload', Buffer.from(CSV), 'wigan-log.csv');
};

const recent = () => Promise.resolve({ items: [stored], total: 1, number: 1, size: 25 });

describe('importing barriers', () => {
  it('sends someone who is not signed in to sign in', async () => {
    for (const path of ['/import', '/import/template.csv', '/import/IMP-0001']) {
      const res = await request(appWithAllRoutes({})).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
  });

  it.each([
    ['a neighbourhood lead', leighLead],
    ['triage staff', triage],
  ])('is a 403 page for %s, checking nothing', async (_who, who) => {
    const check = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(who), imports: { recent, check } });
    expect((await getPage(app, '/import')).status).toBe(403);
    expect((await upload(app)).status).toBe(403);
    expect(check).not.toHaveBeenCalled();
  });

  it('shows the upload page with the recent imports the service lists', async () => {
    const recentImports = vi.fn(recent);
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { recent: recentImports } });
    const res = await getPage(app, '/import');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/import/IMP-0001"');
    expect(res.text).toContain('wigan-log.csv');
    expect(recentImports).toHaveBeenCalledWith(expect.objectContaining(wiganLead.actor), {
      number: 1,
      size: 25,
    });
    expect(res.text).not.toContain('govuk-pagination');
  });

  it('pages the recent imports, 25 at a time, linking back to the table', async () => {
    const recentImports = vi.fn(() =>
      Promise.resolve({ items: [stored], total: 26, number: 2, size: 25 }),
    );
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { recent: recentImports } });
    const res = await getPage(app, '/import?page=2');
    expect(res.text).toContain('Showing 26 to 26 of 26 imports');
    expect(res.text).toContain('href="/import#recent-imports"');
    expect(recentImports).toHaveBeenCalledWith(expect.anything(), { number: 2, size: 25 });
  });

  it('downloads the template as CSV', async () => {
    const res = await getPage(appWithAllRoutes(signedInAs(admin)), '/import/template.csv');
    expect(res.status).toBe(200);
    expect(csvDownload(res)).toBe('golden-thread-import-template.csv');
  });

  it('checks an uploaded file and goes to its dry run', async () => {
    const check = vi.fn(() => Promise.resolve(stored));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { recent, check } });
    const res = await upload(app);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/import/IMP-0001');
    expect(check).toHaveBeenCalledWith(expect.objectContaining(wiganLead.actor), {
      filename: 'wigan-log.csv',
      text: CSV,
    });
  });

  it('refuses an upload without its CSRF token and checks nothing', async () => {
    const check = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { recent, check } });
    const res = await upload(app, { csrf: false });
    expect(res.status).toBe(403);
    expect(check).not.toHaveBeenCalled();
  });

  it('puts a missing file on the upload field', async () => {
    const check = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { recent, check } });
    const res = await postForm(app, '/import', { _csrf: pageCsrf });
    expect(res.status).toBe(400);
    expect(pageErrors(res.text)).toEqual({ summary: ['upload'], fields: ['upload'] });
    expect(check).not.toHaveBeenCalled();
  });

  it('puts a file sent under another name on the upload field', async () => {
    const check = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { recent, check } });
    const res = await upload(app, { field: 'other' });
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).fields).toEqual(['upload']);
    expect(check).not.toHaveBeenCalled();
  });

  it('answers an upload cut off part-way with a 400, not a 500', async () => {
    const check = vi.fn();
    const app = appWithAllRoutes(
      { ...signedInAs(wiganLead), imports: { recent, check } },
      { logger: { debug() {}, info() {}, warn() {}, error() {} } },
    );
    const res = await request(app)
      .post('/import')
      .set('Cookie', pageCookie)
      .set('Content-Type', 'multipart/form-data; boundary=XYZ')
      .send(
        `--XYZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${pageCsrf}\r\n` +
          '--XYZ\r\nContent-Disposition: form-data; name="upload"; filename="a.csv"\r\n\r\nTitle',
      );
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).fields).toEqual(['upload']);
    expect(res.text).toContain('The file could not be read');
    expect(check).not.toHaveBeenCalled();
  });

  it('answers a multipart form without its boundary with a 400 page, not a 500', async () => {
    const check = vi.fn();
    const app = appWithAllRoutes(
      { ...signedInAs(wiganLead), imports: { recent, check } },
      { logger: { debug() {}, info() {}, warn() {}, error() {} } },
    );
    const res = await request(app)
      .post('/import')
      .set('Cookie', pageCookie)
      .set('Content-Type', 'multipart/form-data')
      .send('--XYZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nx\r\n--XYZ--\r\n');
    expect(res.status).toBe(400);
    expect(res.text).toContain('The file could not be read');
    expect(check).not.toHaveBeenCalled();
  });

  it('lists a refused file’s problems by row and column', async () => {
    const check = () =>
      Promise.reject(
        new ImportRefused([{ row: 2, column: 'Locality', problem: 'is not a locality' }], 1),
      );
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { recent, check } });
    const res = await upload(app);
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).summary).toEqual(['problems']);
    expect(res.text).toContain('id="problems"');
    expect(res.text).toContain('is not a locality');
  });
});

describe('an import', () => {
  it('shows its dry run: the rows it would create', async () => {
    const visible = vi.fn(() => Promise.resolve(stored));
    const plannedRows = vi.fn(() => Promise.resolve(planned));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { visible, plannedRows } });
    const res = await getPage(app, '/import/IMP-0001');
    expect(res.status).toBe(200);
    expect(res.text).toContain('IMP-0001');
    expect(res.text).toContain('Shared records blocked');
    expect(visible).toHaveBeenCalledWith(expect.objectContaining(wiganLead.actor), 'IMP-0001');
    expect(plannedRows).toHaveBeenCalledWith(stored);
  });

  it('is a 404 page for an import the person cannot see', async () => {
    const visible = () => Promise.reject(new NotFound('There is no import IMP-0009'));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { visible } });
    expect((await getPage(app, '/import/IMP-0009')).status).toBe(404);
    expect((await getPage(app, '/import/IMP-0009/progress')).status).toBe(404);
  });

  it('reports its progress as JSON', async () => {
    const visible = () =>
      Promise.resolve({ ...(stored as object), status: 'importing', done: 1 } as never);
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { visible } });
    const res = await getPage(app, '/import/IMP-0001/progress');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      finished: false,
      done: 1,
      total: 2,
      text: '1 of 2 rows processed: 0 created, 0 already imported.',
    });
  });

  it('starts once confirmed and goes back to the import', async () => {
    const start = vi.fn(() => Promise.resolve(stored));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { start } });
    const res = await postForm(app, '/import/IMP-0001/start', { _csrf: pageCsrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/import/IMP-0001?done=started');
    expect(start).toHaveBeenCalledWith(
      expect.objectContaining(wiganLead.actor),
      'pages',
      'IMP-0001',
    );
  });

  it('refuses a start without its CSRF token', async () => {
    const start = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { start } });
    const res = await postForm(app, '/import/IMP-0001/start', {});
    expect(res.status).toBe(403);
    expect(start).not.toHaveBeenCalled();
  });

  it.each([
    ['NotFound', new NotFound('There is no import IMP-0009'), 404],
    ['Conflict', new Conflict('Started elsewhere'), 409],
    ['Rejected', new Rejected('Already done'), 422],
  ])('shows a %s refusal to start with its status', async (_kind, err, status) => {
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      imports: { start: () => Promise.reject(err) },
    });
    const res = await postForm(app, '/import/IMP-0009/start', { _csrf: pageCsrf });
    expect(res.status).toBe(status);
    expect(res.text).toContain(err.detail);
  });

  it('says in a banner that the import started, while it runs', async () => {
    const importing = { ...(stored as object), status: 'importing' } as never;
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      imports: {
        visible: () => Promise.resolve(importing),
        plannedRows: () => Promise.resolve(planned),
      },
    });
    const res = await getPage(app, '/import/IMP-0001?done=started');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/govuk-notification-banner--success"[^>]*role="alert"/);
    expect(res.text).toContain('Import IMP-0001 started: 2 barriers are being created');
  });

  it.each([
    ['a forged done', '/import/IMP-0001?done=constructor', 'importing'],
    ['no done', '/import/IMP-0001', 'importing'],
    ['an import not yet started', '/import/IMP-0001?done=started', 'checked'],
  ])('shows no banner for %s', async (_case, path, status) => {
    const doc = { ...(stored as object), status } as never;
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      imports: { visible: () => Promise.resolve(doc), plannedRows: () => Promise.resolve(planned) },
    });
    const res = await getPage(app, path);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('govuk-notification-banner');
  });
});
