import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import {
  PAGE_SESSION,
  admin,
  appWithAllRoutes,
  getPage,
  leighLead,
  pageCookie,
  pageCsrf,
  pageErrors,
  person,
  postForm,
  preSessionCookie,
  preSessionCsrf,
  signedInAs,
  triage,
  wiganLead,
} from '../../support/route-harness.ts';

const choices = [
  { _id: 'tom.triage@example.org', name: 'Tom Triage', roles: ['gmca-triage'] },
  {
    _id: 'leah.walsh@example.org',
    name: 'Leah Walsh',
    roles: ['locality-lead'],
    locality: 'wigan',
  },
  {
    _id: 'nia.lead@example.org',
    name: 'Nia Lead',
    roles: ['neighbourhood-lead'],
    locality: 'wigan',
    neighbourhood: 'hindley-and-abram',
  },
];
/** Typed as the service's method, which returns a database query rather than a Promise. */
const signInChoices = (() => Promise.resolve(choices)) as never;

/** A development sign-in form posted from a browser that has not signed in yet. */
const signInAs = (app: Parameters<typeof postForm>[0], form: Record<string, string>) =>
  postForm(app, '/sign-in', form, preSessionCookie);

describe('the home page', () => {
  it('sends someone not signed in to sign in, and someone signed in to the barriers', async () => {
    const out = await request(appWithAllRoutes({})).get('/');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/sign-in');
    const inside = await getPage(appWithAllRoutes(signedInAs(leighLead)), '/');
    expect(inside.status).toBe(303);
    expect(inside.headers.location).toBe('/barriers');
  });
});

describe('development sign-in', () => {
  it('lists the people the directory offers', async () => {
    const res = await request(appWithAllRoutes({ identity: { signInChoices } })).get('/sign-in');
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="tom.triage@example.org"');
    expect(res.text).toContain('Leah Walsh');
  });

  it('names each person’s role and neighbourhood in words, not slugs', async () => {
    const res = await request(appWithAllRoutes({ identity: { signInChoices } })).get('/sign-in');
    expect(res.text).toContain('Tom Triage – GMCA triage<');
    expect(res.text).toContain('Leah Walsh – Locality lead, Wigan<');
    expect(res.text).toContain('Nia Lead – Neighbourhood lead, Hindley &amp; Abram, Wigan<');
    expect(res.text).not.toContain('hindley-and-abram<');
  });

  it('sends someone already signed in to where their role lands', async () => {
    const res = await getPage(appWithAllRoutes(signedInAs(triage)), '/sign-in');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/triage');
  });

  it('is not offered in production', async () => {
    const signInPerson = vi.fn();
    const app = appWithAllRoutes(
      { identity: { signInChoices, signInPerson } },
      { production: true },
    );
    expect((await request(app).get('/sign-in')).status).toBe(404);
    const posted = await signInAs(app, { _csrf: preSessionCsrf, person: triage.actor.email });
    expect(posted.status).toBe(404);
    expect(signInPerson).not.toHaveBeenCalled();
  });

  it('opens a session for triage staff and lands them on the triage queue', async () => {
    const signInPerson = vi.fn(() =>
      Promise.resolve({ email: 'tom.triage@example.org', roles: ['gmca-triage'] }),
    );
    const create = vi.fn(() => Promise.resolve('new-session-id'));
    const app = appWithAllRoutes({ identity: { signInPerson }, sessions: { create } });
    const res = await signInAs(app, { _csrf: preSessionCsrf, person: 'tom.triage@example.org' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/triage');
    expect(signInPerson).toHaveBeenCalledWith('tom.triage@example.org');
    expect(create).toHaveBeenCalledWith({ email: 'tom.triage@example.org', via: 'development' });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join('\n');
    expect(cookie).toMatch(/gt_session=new-session-id;.*HttpOnly/);
  });

  it('lands everyone else on the barriers', async () => {
    const app = appWithAllRoutes({
      identity: {
        signInPerson: () =>
          Promise.resolve({ email: 'leah.walsh@example.org', roles: ['locality-lead'] }),
      },
      sessions: { create: () => Promise.resolve('s') },
    });
    const res = await signInAs(app, { _csrf: preSessionCsrf, person: 'leah.walsh@example.org' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/barriers');
  });

  it('refuses an unknown person with the error on the person field, opening no session', async () => {
    const create = vi.fn();
    const app = appWithAllRoutes({
      identity: { signInChoices, signInPerson: () => Promise.resolve(null) },
      sessions: { create },
    });
    const res = await signInAs(app, { _csrf: preSessionCsrf, person: 'nobody@example.org' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('govuk-error-summary');
    expect(pageErrors(res.text)).toEqual({ summary: ['person'], fields: ['person'] });
    expect(create).not.toHaveBeenCalled();
    expect(res.headers['set-cookie'] ?? []).not.toEqual(
      expect.arrayContaining([expect.stringContaining('gt_session=')]),
    );
  });

  it('refuses a form with no person chosen without asking the directory', async () => {
    const signInPerson = vi.fn();
    const app = appWithAllRoutes({ identity: { signInChoices, signInPerson } });
    const res = await signInAs(app, { _csrf: preSessionCsrf, person: '' });
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).fields).toEqual(['person']);
    expect(signInPerson).not.toHaveBeenCalled();
  });

  it('refuses a sign-in form without its CSRF token', async () => {
    const signInPerson = vi.fn();
    const create = vi.fn();
    const app = appWithAllRoutes({
      identity: { signInChoices, signInPerson },
      sessions: { create },
    });
    const res = await signInAs(app, { person: 'tom.triage@example.org' });
    expect(res.status).toBe(403);
    expect(signInPerson).not.toHaveBeenCalled();
    expect(create).not.toHaveBeenCalled();
  });

  it('has no provider callback without OpenID Connect', async () => {
    const res = await request(appWithAllRoutes({})).get('/sign-in/callback?code=x&state=y');
    expect(res.status).toBe(404);
  });
});

describe('acting in another role', () => {
  const both = person(admin.actor, 'Ada Admin', ['admin', 'gmca-triage']);

  it('switches to a role the person holds and lands there', async () => {
    const setActingAs = vi.fn(() => Promise.resolve());
    const app = appWithAllRoutes({
      ...signedInAs(both),
      sessions: { ...signedInAs(both).sessions, setActingAs },
    });
    const res = await postForm(app, '/acting-as', { _csrf: pageCsrf, role: 'gmca-triage' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/triage');
    expect(setActingAs).toHaveBeenCalledWith('hashed', 'gmca-triage');
  });

  it.each([
    ['a role the person lacks', 'locality-lead'],
    ['no role at all', 'emperor'],
  ])('refuses %s with a 400 page', async (_what, role) => {
    const setActingAs = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(both),
      sessions: { ...signedInAs(both).sessions, setActingAs },
    });
    const res = await postForm(app, '/acting-as', { _csrf: pageCsrf, role });
    expect(res.status).toBe(400);
    expect(setActingAs).not.toHaveBeenCalled();
  });

  it('sends someone not signed in to sign in', async () => {
    const res = await postForm(
      appWithAllRoutes({}),
      '/acting-as',
      { _csrf: preSessionCsrf, role: 'admin' },
      preSessionCookie,
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
  });

  it('refuses a switch without its CSRF token', async () => {
    const setActingAs = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(both),
      sessions: { ...signedInAs(both).sessions, setActingAs },
    });
    const res = await postForm(app, '/acting-as', { role: 'gmca-triage' });
    expect(res.status).toBe(403);
    expect(setActingAs).not.toHaveBeenCalled();
  });
});

describe('signing out', () => {
  it('ends the session, clears its cookie and goes back to sign in', async () => {
    const end = vi.fn(() => Promise.resolve(null));
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      sessions: { ...signedInAs(wiganLead).sessions, end },
    });
    const res = await postForm(app, '/sign-out', { _csrf: pageCsrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
    expect(end).toHaveBeenCalledWith(PAGE_SESSION);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join('\n');
    expect(cookie).toMatch(/gt_session=;.*Expires=Thu, 01 Jan 1970/);
  });

  it('refuses a sign-out without its CSRF token and keeps the session', async () => {
    const end = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      sessions: { ...signedInAs(wiganLead).sessions, end },
    });
    const res = await request(app)
      .post('/sign-out')
      .set('Cookie', pageCookie)
      .type('form')
      .send({});
    expect(res.status).toBe(403);
    expect(end).not.toHaveBeenCalled();
  });

  it('says so on the signed-out page', async () => {
    expect((await request(appWithAllRoutes({})).get('/signed-out')).status).toBe(200);
  });
});
