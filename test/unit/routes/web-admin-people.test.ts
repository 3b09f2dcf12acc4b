import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import {
  Conflict,
  Forbidden,
  InvalidInput,
  NotFound,
  type ServiceError,
} from '../../../services/errors.ts';
import {
  admin,
  appWithAllRoutes,
  fieldValue,
  getPage,
  pageCsrf,
  pageErrors,
  postForm,
  selectedOption,
  signedInAs,
  triage,
  wiganLead,
} from '../../support/route-harness.ts';

const leah = {
  email: 'leah.walsh@example.org',
  name: 'Leah Walsh',
  roles: ['locality-lead'],
  locality: 'wigan',
  neighbourhood: null,
  available: true,
  kind: 'person',
  clientId: null,
};
const LEAH = '/admin/people/leah.walsh%40example.org';
/** Typed as the service's method, which returns a database query rather than a Promise. */
const localityChoices = (() =>
  Promise.resolve([
    { _id: 'wigan', name: 'Wigan', neighbourhoods: [{ slug: 'leigh', name: 'Leigh' }] },
  ])) as never;
const reading = {
  localityChoices,
  person: () => Promise.resolve(leah),
  assignmentsOf: () =>
    Promise.resolve([{ where: 'Wigan', as: 'locality lead', instead: 'Sam Second' }]),
  openBarriersOwnedBy: () => Promise.resolve({ total: 0, items: [] }),
};
/** A page of people as the directory's search gives it. */
const pageOf = (items: (typeof leah)[], total = items.length, number = 1) =>
  Promise.resolve({ items, total, number, size: 25 });

const newPerson = {
  _csrf: pageCsrf,
  email: 'New.Lead@Example.org',
  name: 'New Lead',
  roles: ['locality-lead', 'neighbourhood-lead'],
  locality: 'wigan',
  neighbourhood: 'leigh',
  available: 'true',
  kind: 'person',
  clientId: '',
};

describe('administering people', () => {
  it('sends someone who is not signed in to sign in', async () => {
    for (const path of ['/admin/people', '/admin/people/new', LEAH, `${LEAH}/remove`]) {
      const res = await request(appWithAllRoutes({})).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
  });

  it.each([
    ['a locality lead', wiganLead],
    ['triage staff', triage],
  ])('is a 403 page for %s, reading and changing nothing', async (_who, who) => {
    const findPeople = vi.fn();
    const putPerson = vi.fn();
    const removeAccess = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(who),
      directory: { ...reading, findPeople, putPerson, removeAccess },
    });
    expect((await getPage(app, '/admin/people')).status).toBe(403);
    expect((await postForm(app, '/admin/people/new', newPerson)).status).toBe(403);
    expect((await postForm(app, `${LEAH}/remove`, { _csrf: pageCsrf })).status).toBe(403);
    expect(findPeople).not.toHaveBeenCalled();
    expect(putPerson).not.toHaveBeenCalled();
    expect(removeAccess).not.toHaveBeenCalled();
  });

  it('lists the people the directory holds, a page at a time', async () => {
    const findPeople = vi.fn(() => pageOf([leah]));
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { findPeople } });
    const res = await getPage(app, '/admin/people?done=saved');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`href="${LEAH}"`);
    expect(res.text).toContain('Leah Walsh');
    expect(res.text).toContain('govuk-notification-banner');
    expect(res.text).not.toContain('govuk-pagination');
    expect(findPeople).toHaveBeenCalledWith(expect.objectContaining(admin.actor), {}, 1, 25);
  });

  it('searches and filters, keeping them in the form, the removable tags and the page links', async () => {
    const findPeople = vi.fn(() => pageOf([leah], 60, 2));
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { findPeople } });
    const res = await getPage(
      app,
      '/admin/people?q=+walsh+&role=locality-lead&locality=wigan&away=yes&page=2',
    );
    expect(res.status).toBe(200);
    expect(findPeople).toHaveBeenCalledWith(
      expect.anything(),
      { q: 'walsh', role: 'locality-lead', locality: 'wigan', away: 'yes' },
      2,
      25,
    );
    expect(fieldValue(res.text, 'q')).toBe('walsh');
    expect(selectedOption(res.text, 'role')).toBe('locality-lead');
    expect(selectedOption(res.text, 'locality')).toBe('wigan');
    expect(res.text).toMatch(/name="away" type="checkbox" value="yes" checked/);
    expect(res.text).toContain('Showing 26 to 50 of 60 people');
    const filters = 'q=walsh&amp;role=locality-lead&amp;locality=wigan&amp;away=yes';
    expect(res.text).toContain(`href="/admin/people?${filters}&amp;page=3"`);
    expect(res.text).toContain(`href="/admin/people?${filters}"`);
    // Removing the locality keeps the others.
    expect(res.text).toContain('href="/admin/people?q=walsh&amp;role=locality-lead&amp;away=yes"');
  });

  it('says when no one matches', async () => {
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { findPeople: () => pageOf([]) },
    });
    const res = await getPage(app, '/admin/people?q=zzz');
    expect(res.status).toBe(200);
    expect(res.text).toContain('No one matches');
  });

  it('refuses a filter that is not one of the choices, with the error summary, searching nothing', async () => {
    const findPeople = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { findPeople } });
    const res = await getPage(app, '/admin/people?role=king&q=walsh');
    expect(res.status).toBe(400);
    expect(pageErrors(res.text)).toEqual({ summary: ['role'], fields: ['role'] });
    expect(fieldValue(res.text, 'q')).toBe('walsh');
    expect(findPeople).not.toHaveBeenCalled();
  });

  it('shows a blank form for a new person', async () => {
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: reading });
    const res = await getPage(app, '/admin/people/new');
    expect(res.status).toBe(200);
    expect(fieldValue(res.text, 'email')).toBe('');
    expect(res.text).toContain('value="wigan"');
  });

  it('shows a person’s form filled from the directory', async () => {
    const person = vi.fn(() => Promise.resolve(leah));
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { ...reading, person } });
    const res = await getPage(app, LEAH);
    expect(res.status).toBe(200);
    expect(fieldValue(res.text, 'name')).toBe('Leah Walsh');
    expect(selectedOption(res.text, 'locality')).toBe('wigan');
    expect(person).toHaveBeenCalledWith(expect.objectContaining(admin.actor), leah.email);
    expect(res.text).toContain('Locality lead, Wigan');
    expect(res.text).toContain('They own no open barriers.');
  });

  it('shows the open barriers someone owns, linking to each', async () => {
    const openBarriersOwnedBy = vi.fn(() =>
      Promise.resolve({
        total: 7,
        items: [
          {
            id: 'b-1',
            reference: 'GT-WIG-0001',
            title: 'Pooled budget rules',
            stage: 'locality',
            nextDeadlineAt: null,
            breached: true,
          },
        ],
      }),
    );
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, openBarriersOwnedBy },
    });
    const res = await getPage(app, LEAH);
    expect(res.status).toBe(200);
    expect(res.text).toContain('They own 7 open barriers; the 1 most urgent:');
    expect(res.text).toContain('href="/barriers/b-1"');
    expect(res.text).toContain('GT-WIG-0001: Pooled budget rules');
    expect(res.text).toContain('Locality stage, overdue');
    expect(openBarriersOwnedBy).toHaveBeenCalledWith(
      expect.objectContaining(admin.actor),
      leah.email,
    );
  });

  it('is a 404 page for someone not in the directory, and a 400 for what is not an email', async () => {
    const person = () =>
      Promise.reject(new NotFound('nobody@example.org is not in the directory.'));
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { ...reading, person } });
    expect((await getPage(app, '/admin/people/nobody%40example.org')).status).toBe(404);
    expect((await getPage(app, '/admin/people/not-an-email')).status).toBe(400);
    expect((await getPage(app, '/admin/people/not-an-email/remove')).status).toBe(400);
  });

  it('adds a new person and goes back to the list', async () => {
    const personExists = vi.fn(() => Promise.resolve(false));
    const putPerson = vi.fn(() => Promise.resolve());
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, personExists, putPerson },
    });
    const res = await postForm(app, '/admin/people/new', newPerson);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/people?done=saved');
    expect(personExists).toHaveBeenCalledWith(expect.anything(), 'new.lead@example.org');
    expect(putPerson).toHaveBeenCalledWith(
      expect.objectContaining(admin.actor),
      'pages',
      'new.lead@example.org',
      expect.objectContaining({
        name: 'New Lead',
        roles: ['locality-lead', 'neighbourhood-lead'],
        locality: 'wigan',
        neighbourhood: 'leigh',
        kind: 'person',
        clientId: null,
      }),
    );
  });

  it('saves a change to someone, under the email in the address', async () => {
    const personExists = vi.fn();
    const putPerson = vi.fn(() => Promise.resolve());
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, personExists, putPerson },
    });
    const res = await postForm(app, LEAH, {
      ...newPerson,
      email: 'someone.else@example.org',
      name: 'Leah Walsh-Smith',
      roles: ['locality-lead'],
      neighbourhood: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/people?done=saved');
    expect(personExists).not.toHaveBeenCalled();
    expect(putPerson).toHaveBeenCalledWith(
      expect.anything(),
      'pages',
      leah.email,
      expect.objectContaining({ name: 'Leah Walsh-Smith' }),
    );
  });

  it('shows each bad field, keeps what was typed and saves nothing', async () => {
    const putPerson = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { ...reading, putPerson } });
    const res = await postForm(app, '/admin/people/new', {
      ...newPerson,
      email: 'not an email',
      name: '',
      roles: ['neighbourhood-lead'],
      locality: '',
      neighbourhood: '',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('govuk-error-summary');
    expect(pageErrors(res.text)).toEqual({
      summary: ['email', 'name', 'locality', 'neighbourhood'],
      fields: ['email', 'name', 'locality', 'neighbourhood'],
    });
    expect(fieldValue(res.text, 'email')).toBe('not an email');
    expect(res.text).toMatch(/value="neighbourhood-lead" checked/);
    expect(putPerson).not.toHaveBeenCalled();
  });

  it('refuses to add someone already in the directory', async () => {
    const putPerson = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, personExists: () => Promise.resolve(true), putPerson },
    });
    const res = await postForm(app, '/admin/people/new', newPerson);
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).fields).toEqual(['email']);
    expect(fieldValue(res.text, 'name')).toBe('New Lead');
    expect(putPerson).not.toHaveBeenCalled();
  });

  it('refuses a form without its CSRF token and saves nothing', async () => {
    const putPerson = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { ...reading, putPerson } });
    const { _csrf, ...noToken } = newPerson;
    expect((await postForm(app, '/admin/people/new', noToken)).status).toBe(403);
    expect((await postForm(app, LEAH, noToken)).status).toBe(403);
    expect(putPerson).not.toHaveBeenCalled();
  });

  it('puts a field the directory refuses on that field', async () => {
    const putPerson = () =>
      Promise.reject(
        new InvalidInput('Taken', [{ field: 'body.clientId', reason: 'is another entry’s' }]),
      );
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, personExists: () => Promise.resolve(false), putPerson },
    });
    const res = await postForm(app, '/admin/people/new', newPerson);
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).fields).toEqual(['clientId']);
    expect(fieldValue(res.text, 'email')).toBe('new.lead@example.org');
  });

  it.each<[string, ServiceError, number]>([
    ['Forbidden', new Forbidden('Only an admin may change the directory.'), 403],
    ['NotFound', new NotFound('No such locality.'), 404],
    ['Conflict', new Conflict('That client id is taken.'), 409],
  ])('shows a %s refusal on the form with its status', async (_kind, err, status) => {
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: {
        ...reading,
        personExists: () => Promise.resolve(false),
        putPerson: () => Promise.reject(err),
      },
    });
    const res = await postForm(app, '/admin/people/new', newPerson);
    expect(res.status).toBe(status);
    expect(pageErrors(res.text).summary).toEqual(['name']);
    expect(res.text).toContain(err.detail);
    expect(fieldValue(res.text, 'name')).toBe('New Lead');
  });
});

describe('availability, removing access and ending sessions', () => {
  it('confirms marking someone away, saying who stands in', async () => {
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: reading });
    const res = await getPage(app, `${LEAH}/availability`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Sam Second');
    expect(res.text).toContain(`action="${LEAH}/availability"`);
  });

  it('marks someone away once confirmed', async () => {
    const setAvailability = vi.fn(() => Promise.resolve());
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, setAvailability },
    });
    const res = await postForm(app, `${LEAH}/availability`, { _csrf: pageCsrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/people?done=away');
    expect(setAvailability).toHaveBeenCalledWith(
      expect.objectContaining(admin.actor),
      'pages',
      leah.email,
      false,
    );
  });

  it('marks someone who was away as available again', async () => {
    const setAvailability = vi.fn(() => Promise.resolve());
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: {
        ...reading,
        person: () => Promise.resolve({ ...leah, available: false }),
        setAvailability,
      },
    });
    const res = await postForm(app, `${LEAH}/availability`, { _csrf: pageCsrf });
    expect(res.headers.location).toBe('/admin/people?done=back');
    expect(setAvailability).toHaveBeenCalledWith(expect.anything(), 'pages', leah.email, true);
  });

  it('confirms removing access, then removes it', async () => {
    const removeAccess = vi.fn(() => Promise.resolve());
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { ...reading, removeAccess } });
    expect((await getPage(app, `${LEAH}/remove`)).status).toBe(200);
    expect(removeAccess).not.toHaveBeenCalled();
    const res = await postForm(app, `${LEAH}/remove`, { _csrf: pageCsrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/people?done=removed');
    expect(removeAccess).toHaveBeenCalledWith(
      expect.objectContaining(admin.actor),
      'pages',
      leah.email,
    );
  });

  it('ends someone’s sessions once confirmed', async () => {
    const endSessions = vi.fn(() => Promise.resolve(2));
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { ...reading, endSessions } });
    expect((await getPage(app, `${LEAH}/sessions`)).status).toBe(200);
    const res = await postForm(app, `${LEAH}/sessions`, { _csrf: pageCsrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/people?done=signedOut');
    expect(endSessions).toHaveBeenCalledWith(expect.anything(), 'pages', leah.email);
  });

  it('changes nothing without the CSRF token', async () => {
    const setAvailability = vi.fn();
    const removeAccess = vi.fn();
    const endSessions = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, setAvailability, removeAccess, endSessions },
    });
    for (const path of ['availability', 'remove', 'sessions'])
      expect((await postForm(app, `${LEAH}/${path}`, {})).status).toBe(403);
    expect(setAvailability).not.toHaveBeenCalled();
    expect(removeAccess).not.toHaveBeenCalled();
    expect(endSessions).not.toHaveBeenCalled();
  });

  it('shows a refusal from the directory with its status', async () => {
    const removeAccess = () =>
      Promise.reject(new NotFound('nobody@example.org is not in the directory.'));
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { ...reading, removeAccess } });
    const res = await postForm(app, '/admin/people/nobody%40example.org/remove', {
      _csrf: pageCsrf,
    });
    expect(res.status).toBe(404);
  });
});
