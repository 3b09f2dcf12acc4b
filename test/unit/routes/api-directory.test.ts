import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Conflict, Forbidden, NotFound, invalidField } from '../../../services/errors.ts';
import {
  admin,
  appWithAllRoutes,
  authAs,
  expectProblem,
  leighLead,
  signedInAs,
  wiganLead,
} from '../../support/route-harness.ts';

const leah = { email: wiganLead.actor.email, name: wiganLead.name, available: true };
const nia = { email: leighLead.actor.email, name: leighLead.name, available: false };
const wigan = {
  slug: 'wigan' as const,
  name: 'Wigan',
  leads: [leah],
  specialists: [{ category: 'funding' as const, person: null }],
  neighbourhoods: [{ slug: 'leigh', name: 'Leigh', lead: nia, deputy: null }],
};
const niaEntry = {
  email: leighLead.actor.email,
  name: leighLead.name,
  roles: ['neighbourhood-lead'],
  locality: 'wigan',
  neighbourhood: 'leigh',
  available: true,
  kind: 'person',
  clientId: null,
};
const onlyAdmin = 'Only an admin may change the directory.';

describe('GET /api/v1/localities', () => {
  it('gives every locality with its people, to anyone signed in', async () => {
    const localities = vi.fn(() => Promise.resolve([wigan]));
    const app = appWithAllRoutes({ ...signedInAs(leighLead), directory: { localities } });
    const res = await request(app)
      .get('/api/v1/localities')
      .set(await authAs(leighLead));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [wigan] });
  });
});

describe('PUT /api/v1/localities/:locality/assignments', () => {
  const assigning = (set = vi.fn(() => Promise.resolve())) => ({
    set,
    app: appWithAllRoutes({
      ...signedInAs(admin),
      directory: { setLocalityAssignments: set },
    }),
  });

  it('saves the leads and specialists', async () => {
    const { app, set } = assigning();
    const body = { leads: ['Leah.Walsh@example.org'] };
    const res = await request(app)
      .put('/api/v1/localities/wigan/assignments')
      .set(await authAs(admin))
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(set).toHaveBeenCalledWith(expect.objectContaining(admin.actor), 'api', 'wigan', {
      leads: ['leah.walsh@example.org'],
    });
  });

  it.each([
    ['/atlantis/assignments', { leads: [leah.email] }, 'path.locality'],
    ['/wigan/assignments', {}, 'body'],
    ['/wigan/assignments', { leads: [] }, 'body.leads'],
    ['/wigan/assignments', { leads: ['leah'] }, 'body.leads.0'],
    [
      '/wigan/assignments',
      { specialists: [{ category: 'magic', email: leah.email }] },
      'body.specialists.0.category',
    ],
  ])('refuses PUT %s %o naming %s, saving nothing', async (path, body, field) => {
    const { app, set } = assigning();
    const res = await request(app)
      .put(`/api/v1/localities${path}`)
      .set(await authAs(admin))
      .send(body);
    expectProblem(res, 400, field);
    expect(set).not.toHaveBeenCalled();
  });

  it('is a 403 for anyone but an admin, saving nothing', async () => {
    const set = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      directory: { setLocalityAssignments: set },
    });
    const res = await request(app)
      .put('/api/v1/localities/wigan/assignments')
      .set(await authAs(wiganLead))
      .send({ leads: [leah.email] });
    expect(expectProblem(res, 403).detail).toBe(onlyAdmin);
    expect(set).not.toHaveBeenCalled();
  });

  it('passes on the directory’s refusal of people it does not hold', async () => {
    const missing = invalidField('Not in the directory: x@example.org.', 'body', 'names people');
    const { app } = assigning(vi.fn(() => Promise.reject(missing)));
    const res = await request(app)
      .put('/api/v1/localities/wigan/assignments')
      .set(await authAs(admin))
      .send({ leads: ['x@example.org'] });
    expect(expectProblem(res, 400, 'body').detail).toBe(missing.detail);
  });
});

describe('PUT /api/v1/localities/:locality/neighbourhoods/:neighbourhood/assignments', () => {
  const assigning = (set = vi.fn(() => Promise.resolve())) => ({
    set,
    app: appWithAllRoutes({
      ...signedInAs(admin),
      directory: { setNeighbourhoodAssignments: set },
    }),
  });

  it('saves the lead and deputy', async () => {
    const { app, set } = assigning();
    const res = await request(app)
      .put('/api/v1/localities/wigan/neighbourhoods/leigh/assignments')
      .set(await authAs(admin))
      .send({ lead: nia.email, deputy: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(set).toHaveBeenCalledWith(
      expect.objectContaining(admin.actor),
      'api',
      'wigan',
      'leigh',
      { lead: nia.email, deputy: null },
    );
  });

  it.each([
    ['atlantis', 'leigh', { lead: nia.email }, 'path.locality'],
    ['wigan', 'Leigh_Town', { lead: nia.email }, 'path.neighbourhood'],
    ['wigan', 'leigh', {}, 'body'],
    ['wigan', 'leigh', { lead: 'nia' }, 'body.lead'],
  ])('refuses %s/%s %o naming %s, saving nothing', async (locality, hood, body, field) => {
    const { app, set } = assigning();
    const res = await request(app)
      .put(`/api/v1/localities/${locality}/neighbourhoods/${hood}/assignments`)
      .set(await authAs(admin))
      .send(body);
    expectProblem(res, 400, field);
    expect(set).not.toHaveBeenCalled();
  });

  it('is a 404 with the reason for a neighbourhood the locality does not have', async () => {
    const none = new NotFound('There is no neighbourhood atherton in bolton.');
    const { app } = assigning(vi.fn(() => Promise.reject(none)));
    const res = await request(app)
      .put('/api/v1/localities/bolton/neighbourhoods/atherton/assignments')
      .set(await authAs(admin))
      .send({ lead: nia.email });
    expect(expectProblem(res, 404).detail).toBe(none.detail);
  });

  it('is a 403 for anyone but an admin, saving nothing', async () => {
    const set = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      directory: { setNeighbourhoodAssignments: set },
    });
    const res = await request(app)
      .put('/api/v1/localities/wigan/neighbourhoods/leigh/assignments')
      .set(await authAs(leighLead))
      .send({ lead: nia.email });
    expectProblem(res, 403);
    expect(set).not.toHaveBeenCalled();
  });
});

describe('GET /api/v1/people', () => {
  it('lists the directory’s entries', async () => {
    const people = vi.fn(() => Promise.resolve([niaEntry]));
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: { people } });
    const res = await request(app)
      .get('/api/v1/people')
      .set(await authAs(admin));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [niaEntry] });
    expect(people).toHaveBeenCalledWith(expect.objectContaining(admin.actor));
  });

  it('is a 403 with the reason for anyone but an admin', async () => {
    const refuse = () => Promise.reject(new Forbidden(onlyAdmin));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), directory: { people: refuse } });
    const res = await request(app)
      .get('/api/v1/people')
      .set(await authAs(wiganLead));
    expect(expectProblem(res, 403).detail).toBe(onlyAdmin);
  });
});

describe('PUT /api/v1/people/:email', () => {
  const putting = (put = vi.fn(() => Promise.resolve())) => ({
    put,
    app: appWithAllRoutes({ ...signedInAs(admin), directory: { putPerson: put } }),
  });
  const entry = {
    name: leighLead.name,
    roles: ['neighbourhood-lead'],
    locality: 'wigan',
    neighbourhood: 'leigh',
  };

  it('saves the entry, filling in the defaults, and answers with it', async () => {
    const { app, put } = putting();
    const res = await request(app)
      .put('/api/v1/people/Nia.Lead@example.org')
      .set(await authAs(admin))
      .send(entry);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(niaEntry);
    const { email: _email, ...saved } = niaEntry;
    expect(put).toHaveBeenCalledWith(
      expect.objectContaining(admin.actor),
      'api',
      'nia.lead@example.org',
      saved,
    );
  });

  it.each([
    ['not-an-email', entry, 'path.email'],
    [nia.email, { ...entry, name: '' }, 'body.name'],
    [nia.email, { ...entry, neighbourhood: null }, 'body.neighbourhood'],
    [nia.email, { ...entry, roles: ['mayor'] }, 'body.roles.0'],
    [nia.email, { ...entry, kind: 'service' }, 'body.clientId'],
    [nia.email, { ...entry, team: 'leigh' }, 'body.team'],
  ])('refuses PUT %s %o naming %s, saving nothing', async (email, body, field) => {
    const { app, put } = putting();
    const res = await request(app)
      .put(`/api/v1/people/${email}`)
      .set(await authAs(admin))
      .send(body);
    expectProblem(res, 400, field);
    expect(put).not.toHaveBeenCalled();
  });

  it('passes on the directory’s refusals: 400 naming the field, 409 for a taken client id', async () => {
    const auth = await authAs(admin);
    const notThere = invalidField(
      'leigh is not a neighbourhood of bolton.',
      'body.neighbourhood',
      'x',
    );
    const { app: first } = putting(vi.fn(() => Promise.reject(notThere)));
    const invalid = await request(first).put(`/api/v1/people/${nia.email}`).set(auth).send(entry);
    expect(expectProblem(invalid, 400, 'body.neighbourhood').detail).toBe(notThere.detail);

    const taken = new Conflict('Client id gm-insights already belongs to ops@example.org.');
    const { app: second } = putting(vi.fn(() => Promise.reject(taken)));
    const conflict = await request(second).put(`/api/v1/people/${nia.email}`).set(auth).send(entry);
    expect(expectProblem(conflict, 409).detail).toBe(taken.detail);
  });

  it('is a 403 for anyone but an admin, saving nothing', async () => {
    const put = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), directory: { putPerson: put } });
    const res = await request(app)
      .put(`/api/v1/people/${nia.email}`)
      .set(await authAs(wiganLead))
      .send(entry);
    expect(expectProblem(res, 403).detail).toBe(onlyAdmin);
    expect(put).not.toHaveBeenCalled();
  });
});
