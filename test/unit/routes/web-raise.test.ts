import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import {
  Conflict,
  Forbidden,
  InvalidInput,
  NotFound,
  Rejected,
  type ServiceError,
} from '../../../services/errors.ts';
import {
  admin,
  appWithAllRoutes,
  fieldValue,
  getPage,
  leighLead,
  pageCsrf,
  pageErrors,
  postForm,
  selectedOption,
  signedInAs,
  storedBarrier,
  triage,
  wiganLead,
} from '../../support/route-harness.ts';

/** Typed as the service's method, which returns a database query rather than a Promise. */
const localityChoices = (() =>
  Promise.resolve([
    { _id: 'bolton', name: 'Bolton', neighbourhoods: [{ slug: 'farnworth', name: 'Farnworth' }] },
    { _id: 'wigan', name: 'Wigan', neighbourhoods: [{ slug: 'leigh', name: 'Leigh' }] },
  ])) as never;

const filled = {
  _csrf: pageCsrf,
  title: 'Data-sharing agreement blocks a joint caseload',
  description: 'Health and housing cannot share one list.',
  locality: 'wigan',
  neighbourhood: 'leigh',
  category: 'data-sharing',
  focusArea: '',
  peopleAffected: '120',
};

describe('raising a barrier', () => {
  it('sends someone who is not signed in to sign in', async () => {
    const res = await request(appWithAllRoutes({})).get('/barriers/new');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
  });

  it.each([
    ['a neighbourhood lead', leighLead],
    ['triage staff', triage],
  ])('is a 403 page for %s', async (_who, who) => {
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(who), directory: { localityChoices } }),
      '/barriers/new',
    );
    expect(res.status).toBe(403);
  });

  it('offers a locality lead only their own locality and its neighbourhoods', async () => {
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), directory: { localityChoices } });
    const res = await getPage(app, '/barriers/new');
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="wigan"');
    expect(res.text).toContain('value="leigh"');
    expect(res.text).not.toContain('value="bolton"');
  });

  it('offers an admin every locality', async () => {
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { localityChoices } });
    const res = await getPage(app, '/barriers/new');
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="bolton"');
  });

  it('raises the barrier and goes to its confirmation', async () => {
    const raise = vi.fn(() => Promise.resolve('GT-0001'));
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      directory: { localityChoices },
      barriers: { raise },
    });
    const res = await postForm(app, '/barriers/new', filled);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/barriers/GT-0001/raised');
    expect(raise).toHaveBeenCalledWith(
      expect.objectContaining(wiganLead.actor),
      expect.objectContaining({
        title: filled.title,
        description: filled.description,
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'data-sharing',
        peopleAffected: 120,
      }),
    );
  });

  it('shows each bad field, keeps what was typed and raises nothing', async () => {
    const raise = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      directory: { localityChoices },
      barriers: { raise },
    });
    const res = await postForm(app, '/barriers/new', {
      ...filled,
      title: '',
      category: 'data-sharing',
      peopleAffected: 'lots',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('govuk-error-summary');
    expect(pageErrors(res.text)).toEqual({
      summary: ['title', 'peopleAffected'],
      fields: ['title', 'peopleAffected'],
    });
    expect(fieldValue(res.text, 'description')).toBe(filled.description);
    expect(fieldValue(res.text, 'peopleAffected')).toBe('lots');
    expect(selectedOption(res.text, 'category')).toBe('data-sharing');
    expect(selectedOption(res.text, 'neighbourhood')).toBe('leigh');
    expect(raise).not.toHaveBeenCalled();
  });

  it('refuses a form without its CSRF token and raises nothing', async () => {
    const raise = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      directory: { localityChoices },
      barriers: { raise },
    });
    const { _csrf, ...noToken } = filled;
    const res = await postForm(app, '/barriers/new', noToken);
    expect(res.status).toBe(403);
    expect(raise).not.toHaveBeenCalled();
  });

  it('puts a field the service refuses on that field, keeping the form', async () => {
    const raise = () =>
      Promise.reject(
        new InvalidInput('No such neighbourhood', [
          { field: 'body.neighbourhood', reason: 'is not in wigan' },
        ]),
      );
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      directory: { localityChoices },
      barriers: { raise },
    });
    const res = await postForm(app, '/barriers/new', filled);
    expect(res.status).toBe(400);
    expect(pageErrors(res.text)).toEqual({ summary: ['neighbourhood'], fields: ['neighbourhood'] });
    expect(fieldValue(res.text, 'title')).toBe(filled.title);
  });

  it.each<[string, ServiceError, number]>([
    ['Forbidden', new Forbidden('Only in your own locality'), 403],
    ['NotFound', new NotFound('No such locality'), 404],
    ['Conflict', new Conflict('Already raised'), 409],
    ['Rejected', new Rejected('Cannot raise now'), 422],
  ])('shows a %s refusal on the form with its status', async (_kind, err, status) => {
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      directory: { localityChoices },
      barriers: { raise: () => Promise.reject(err) },
    });
    const res = await postForm(app, '/barriers/new', filled);
    expect(res.status).toBe(status);
    expect(pageErrors(res.text).summary).toEqual(['title']);
    expect(res.text).toContain(err.detail);
    expect(fieldValue(res.text, 'title')).toBe(filled.title);
  });
});

describe('the raised confirmation', () => {
  it('names the barrier and its owner', async () => {
    const visible = vi.fn(() => Promise.resolve(storedBarrier('GT-0001')));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { visible } });
    const res = await getPage(app, '/barriers/GT-0001/raised');
    expect(res.status).toBe(200);
    expect(res.text).toContain('GT-0001');
    expect(res.text).toContain('nia.lead@example.org');
    expect(visible).toHaveBeenCalledWith(expect.objectContaining(wiganLead.actor), 'GT-0001');
  });

  it('is a 404 page for a barrier the person cannot see', async () => {
    const visible = () => Promise.reject(new NotFound('There is no barrier GT-0099'));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { visible } });
    expect((await getPage(app, '/barriers/GT-0099/raised')).status).toBe(404);
  });
});
