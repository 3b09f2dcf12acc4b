import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Forbidden, NotFound } from '../../../services/errors.ts';
import { ImportRefused, type StoredImport } from '../../../services/imports.ts';
import {
  appWithAllRoutes,
  authAs,
  expectProblem,
  leighLead,
  signedInAs,
  wiganLead,
} from '../../support/route-harness.ts';

const checked: StoredImport = {
  _id: 'IMP-0003',
  filename: 'wigan-log.csv',
  uploadedBy: wiganLead.actor.email,
  uploadedAt: new Date('2026-12-07T10:51:00Z'),
  status: 'checked',
  problems: [],
  problemCount: 0,
  rows: 12,
  alreadyImported: 2,
  startedBy: null,
  startedAt: null,
  finishedAt: null,
  done: 0,
  created: 0,
  skipped: 0,
};
const importing: StoredImport = {
  ...checked,
  status: 'importing',
  startedBy: wiganLead.actor.email,
  startedAt: new Date('2026-12-07T11:00:00Z'),
  done: 3,
  created: 3,
};
const file = 'Title,Description,Locality\r\nNo shared notes,Partners cannot,wigan\r\n';

describe('GET /api/v1/imports/template', () => {
  it('gives the template as a CSV attachment to an importer', async () => {
    const res = await request(appWithAllRoutes(signedInAs(wiganLead)))
      .get('/api/v1/imports/template')
      .set(await authAs(wiganLead));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?golden-thread-import-template\.csv"?$/,
    );
    expect(res.text.split('\n').length).toBeGreaterThanOrEqual(2);
  });

  it('is a 403 for someone who does not import', async () => {
    const res = await request(appWithAllRoutes(signedInAs(leighLead)))
      .get('/api/v1/imports/template')
      .set(await authAs(leighLead));
    expect(expectProblem(res, 403).detail).toBe('Only admins and locality leads import barriers.');
  });
});

describe('POST /api/v1/imports', () => {
  const checking = (check = vi.fn(() => Promise.resolve(checked))) => ({
    check,
    app: appWithAllRoutes({ ...signedInAs(wiganLead), imports: { check } }),
  });

  it('checks the CSV: 201, the import’s URL in Location, ready to start', async () => {
    const { app, check } = checking();
    const res = await request(app)
      .post('/api/v1/imports?filename=wigan-log.csv')
      .set(await authAs(wiganLead))
      .type('text/csv')
      .send(file);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/v1/imports/IMP-0003');
    expect(res.body).toMatchObject({
      id: 'IMP-0003',
      filename: 'wigan-log.csv',
      status: 'checked',
      rows: 12,
      alreadyImported: 2,
      progress: { done: 0, created: 0, skipped: 0 },
      startedAt: null,
    });
    expect(check).toHaveBeenCalledWith(expect.objectContaining(wiganLead.actor), {
      filename: 'wigan-log.csv',
      text: file,
    });
  });

  it('names the file import.csv when no filename is given', async () => {
    const { app, check } = checking();
    await request(app)
      .post('/api/v1/imports')
      .set(await authAs(wiganLead))
      .type('text/csv')
      .send(file);
    expect(check).toHaveBeenCalledWith(expect.anything(), { filename: 'import.csv', text: file });
  });

  it.each([
    ['filename=logs/wigan.csv', 'query.filename'],
    ['filename=', 'query.filename'],
    ['dryRun=false', 'query.dryRun'],
  ])('refuses ?%s naming %s, checking nothing', async (query, field) => {
    const { app, check } = checking();
    const res = await request(app)
      .post(`/api/v1/imports?${query}`)
      .set(await authAs(wiganLead))
      .type('text/csv')
      .send(file);
    expectProblem(res, 400, field);
    expect(check).not.toHaveBeenCalled();
  });

  it('refuses a file with problems, naming each by row and column', async () => {
    const refused = new ImportRefused(
      [{ row: 3, column: 'Locality', problem: 'must be one of the localities' }],
      1,
    );
    const { app } = checking(vi.fn(() => Promise.reject(refused)));
    const res = await request(app)
      .post('/api/v1/imports')
      .set(await authAs(wiganLead))
      .type('text/csv')
      .send(file);
    const problem = expectProblem(res, 400, 'rows[3].Locality');
    expect(problem.detail).toBe(refused.detail);
  });

  it('is a 403 with the reason when the caller may not import', async () => {
    const refuse = new Forbidden('Only admins and locality leads import barriers.');
    const { app } = checking(vi.fn(() => Promise.reject(refuse)));
    const res = await request(app)
      .post('/api/v1/imports')
      .set(await authAs(wiganLead))
      .type('text/csv')
      .send(file);
    expect(expectProblem(res, 403).detail).toBe(refuse.detail);
  });

  it('is a 401 without a bearer token, checking nothing', async () => {
    const { app, check } = checking();
    const res = await request(app).post('/api/v1/imports').type('text/csv').send(file);
    expectProblem(res, 401);
    expect(check).not.toHaveBeenCalled();
  });

  it('refuses a JSON body with 415, checking nothing', async () => {
    const { app, check } = checking();
    const res = await request(app)
      .post('/api/v1/imports')
      .set(await authAs(wiganLead))
      .send({ csv: file });
    expectProblem(res, 415);
    expect(check).not.toHaveBeenCalled();
  });
});

describe('GET /api/v1/imports/:id', () => {
  it('gives the import and its progress', async () => {
    const visible = vi.fn(() => Promise.resolve(importing));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { visible } });
    const res = await request(app)
      .get('/api/v1/imports/IMP-0003')
      .set(await authAs(wiganLead));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'IMP-0003',
      status: 'importing',
      progress: { done: 3, created: 3, skipped: 0 },
      startedBy: wiganLead.actor.email,
      startedAt: '2026-12-07T11:00:00.000Z',
    });
    expect(visible).toHaveBeenCalledWith(expect.objectContaining(wiganLead.actor), 'IMP-0003');
  });

  it('refuses an id that is not an import reference, reading nothing', async () => {
    const visible = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { visible } });
    const res = await request(app)
      .get('/api/v1/imports/3')
      .set(await authAs(wiganLead));
    expectProblem(res, 400, 'path.id');
    expect(visible).not.toHaveBeenCalled();
  });

  it('is a 404 with the reason for an import the caller cannot see', async () => {
    const hidden = () =>
      Promise.reject(new NotFound('There is no import IMP-0009 that you can see.'));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { visible: hidden } });
    const res = await request(app)
      .get('/api/v1/imports/IMP-0009')
      .set(await authAs(wiganLead));
    expect(expectProblem(res, 404).detail).toBe('There is no import IMP-0009 that you can see.');
  });
});

describe('POST /api/v1/imports/:id/start', () => {
  it('starts the import: 202, its URL in Location, the import as it now stands', async () => {
    const start = vi.fn(() => Promise.resolve(importing));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { start } });
    const res = await request(app)
      .post('/api/v1/imports/IMP-0003/start')
      .set(await authAs(wiganLead));
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe('/api/v1/imports/IMP-0003');
    expect(res.body).toMatchObject({ id: 'IMP-0003', status: 'importing' });
    expect(start).toHaveBeenCalledWith(expect.objectContaining(wiganLead.actor), 'api', 'IMP-0003');
  });

  it('refuses an id that is not an import reference, starting nothing', async () => {
    const start = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { start } });
    const res = await request(app)
      .post('/api/v1/imports/GT-0003/start')
      .set(await authAs(wiganLead));
    expectProblem(res, 400, 'path.id');
    expect(start).not.toHaveBeenCalled();
  });

  it('is a 404 with the reason for an import the caller cannot see', async () => {
    const hidden = () =>
      Promise.reject(new NotFound('There is no import IMP-0009 that you can see.'));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), imports: { start: hidden } });
    const res = await request(app)
      .post('/api/v1/imports/IMP-0009/start')
      .set(await authAs(wiganLead));
    expect(expectProblem(res, 404).detail).toBe('There is no import IMP-0009 that you can see.');
  });
});
