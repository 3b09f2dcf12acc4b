import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Conflict, Forbidden, InvalidInput, type ServiceError } from '../../../services/errors.ts';
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
  wiganLead,
} from '../../support/route-harness.ts';

const p = (email: string, name: string) => ({ email, name, available: true });
const wigan = {
  slug: 'wigan',
  name: 'Wigan',
  leads: [p('leah.walsh@example.org', 'Leah Walsh')],
  specialists: [{ category: 'funding', person: p('fay.funds@example.org', 'Fay Funds') }],
  neighbourhoods: [
    {
      slug: 'leigh',
      name: 'Leigh',
      lead: p('nia.lead@example.org', 'Nia Lead'),
      deputy: null,
    },
  ],
};
const candidates = [
  { email: 'leah.walsh@example.org', name: 'Leah Walsh' },
  { email: 'nia.lead@example.org', name: 'Nia Lead' },
  { email: 'fay.funds@example.org', name: 'Fay Funds' },
  { email: 'dan.deputy@example.org', name: 'Dan Deputy' },
];
const reading = {
  localities: () => Promise.resolve([wigan] as never),
  localityPostCandidates: () => Promise.resolve(candidates),
};

/** The form as the page posts it, unchanged from what is stored. */
const asStored = {
  _csrf: pageCsrf,
  leads: 'leah.walsh@example.org',
  'lead-leigh': 'nia.lead@example.org',
  'deputy-leigh': '',
  'specialist-funding': 'fay.funds@example.org',
};

describe('administering localities', () => {
  it('sends someone who is not signed in to sign in', async () => {
    for (const path of ['/admin/localities', '/admin/localities/wigan']) {
      const res = await request(appWithAllRoutes({})).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
  });

  it('is a 403 page for a locality lead, reading and changing nothing', async () => {
    const localities = vi.fn();
    const setLocalityAssignments = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(wiganLead),
      directory: { ...reading, localities, setLocalityAssignments },
    });
    expect((await getPage(app, '/admin/localities')).status).toBe(403);
    const posted = await postForm(app, '/admin/localities/wigan', {
      ...asStored,
      leads: 'x@example.org',
    });
    expect(posted.status).toBe(403);
    expect(localities).not.toHaveBeenCalled();
    expect(setLocalityAssignments).not.toHaveBeenCalled();
  });

  it('lists the localities with their leads', async () => {
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: reading });
    const res = await getPage(app, '/admin/localities');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/admin/localities/wigan"');
    expect(res.text).toContain('Leah Walsh');
  });

  it('shows a locality’s posts, choosing from its people and whoever holds a post', async () => {
    const localityPostCandidates = vi.fn(() => Promise.resolve(candidates));
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, localityPostCandidates },
    });
    const res = await getPage(app, '/admin/localities/wigan');
    expect(res.status).toBe(200);
    expect(fieldValue(res.text, 'leads')).toBe('leah.walsh@example.org');
    expect(selectedOption(res.text, 'lead-leigh')).toBe('nia.lead@example.org');
    expect(selectedOption(res.text, 'specialist-funding')).toBe('fay.funds@example.org');
    expect(localityPostCandidates).toHaveBeenCalledWith(
      expect.objectContaining(admin.actor),
      'wigan',
      ['nia.lead@example.org', 'fay.funds@example.org'],
    );
  });

  it('is a 404 page for a locality that does not exist', async () => {
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: reading });
    expect((await getPage(app, '/admin/localities/atlantis')).status).toBe(404);
    expect((await postForm(app, '/admin/localities/atlantis', asStored)).status).toBe(404);
  });

  it('saves only what changed and goes back to the list', async () => {
    const setLocalityAssignments = vi.fn(() => Promise.resolve());
    const setNeighbourhoodAssignments = vi.fn(() => Promise.resolve());
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, setLocalityAssignments, setNeighbourhoodAssignments },
    });
    const res = await postForm(app, '/admin/localities/wigan', {
      ...asStored,
      'deputy-leigh': 'dan.deputy@example.org',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/localities?done=saved');
    expect(setLocalityAssignments).not.toHaveBeenCalled();
    expect(setNeighbourhoodAssignments).toHaveBeenCalledWith(
      expect.objectContaining(admin.actor),
      'pages',
      'wigan',
      'leigh',
      { lead: 'nia.lead@example.org', deputy: 'dan.deputy@example.org' },
    );
  });

  it('saves new locality leads', async () => {
    const setLocalityAssignments = vi.fn(() => Promise.resolve());
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, setLocalityAssignments },
    });
    const res = await postForm(app, '/admin/localities/wigan', {
      ...asStored,
      leads: 'leah.walsh@example.org, Dan.Deputy@example.org',
    });
    expect(res.status).toBe(303);
    expect(setLocalityAssignments).toHaveBeenCalledWith(expect.anything(), 'pages', 'wigan', {
      leads: ['leah.walsh@example.org', 'dan.deputy@example.org'],
      specialists: [{ category: 'funding', email: 'fay.funds@example.org' }],
    });
  });

  it('saves nothing when nothing changed', async () => {
    const setLocalityAssignments = vi.fn();
    const setNeighbourhoodAssignments = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, setLocalityAssignments, setNeighbourhoodAssignments },
    });
    const res = await postForm(app, '/admin/localities/wigan', asStored);
    expect(res.status).toBe(303);
    expect(setLocalityAssignments).not.toHaveBeenCalled();
    expect(setNeighbourhoodAssignments).not.toHaveBeenCalled();
  });

  it('puts bad leads on the leads field and saves nothing', async () => {
    const setLocalityAssignments = vi.fn();
    const setNeighbourhoodAssignments = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, setLocalityAssignments, setNeighbourhoodAssignments },
    });
    const res = await postForm(app, '/admin/localities/wigan', {
      ...asStored,
      leads: 'not-an-email',
      'deputy-leigh': 'dan.deputy@example.org',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('govuk-error-summary');
    expect(pageErrors(res.text)).toEqual({ summary: ['leads'], fields: ['leads'] });
    expect(setLocalityAssignments).not.toHaveBeenCalled();
    expect(setNeighbourhoodAssignments).not.toHaveBeenCalled();
  });

  it('keeps what was typed and chosen when the leads are refused', async () => {
    const app = appWithAllRoutes({ ...signedInAs(admin), directory: reading });
    const res = await postForm(app, '/admin/localities/wigan', {
      ...asStored,
      leads: 'not-an-email',
      'deputy-leigh': 'dan.deputy@example.org',
      'specialist-funding': '',
    });
    expect(res.status).toBe(400);
    expect(fieldValue(res.text, 'leads')).toBe('not-an-email');
    expect(selectedOption(res.text, 'deputy-leigh')).toBe('dan.deputy@example.org');
    expect(selectedOption(res.text, 'specialist-funding')).toBeUndefined();
  });

  it('keeps what was typed when the directory refuses the change', async () => {
    const localityPostCandidates = vi.fn(() => Promise.resolve(candidates));
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: {
        ...reading,
        localityPostCandidates,
        setLocalityAssignments: () =>
          Promise.reject(
            new InvalidInput('Not in the directory', [
              { field: 'body.leads', reason: 'names people not in the directory: x@example.org' },
            ]),
          ),
      },
    });
    const res = await postForm(app, '/admin/localities/wigan', {
      ...asStored,
      leads: 'leah.walsh@example.org, x@example.org',
      'lead-leigh': 'dan.deputy@example.org',
    });
    expect(res.status).toBe(400);
    expect(fieldValue(res.text, 'leads')).toBe('leah.walsh@example.org, x@example.org');
    expect(selectedOption(res.text, 'lead-leigh')).toBe('dan.deputy@example.org');
    // The person chosen is offered even when they are not one of the locality's own.
    expect(localityPostCandidates).toHaveBeenCalledWith(
      expect.anything(),
      'wigan',
      expect.arrayContaining(['dan.deputy@example.org']),
    );
  });

  it('puts a bad neighbourhood lead on that neighbourhood’s field', async () => {
    const setNeighbourhoodAssignments = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, setNeighbourhoodAssignments },
    });
    const res = await postForm(app, '/admin/localities/wigan', {
      ...asStored,
      'lead-leigh': 'not-an-email',
    });
    expect(res.status).toBe(400);
    expect(pageErrors(res.text)).toEqual({ summary: ['lead-leigh'], fields: ['lead-leigh'] });
    expect(setNeighbourhoodAssignments).not.toHaveBeenCalled();
  });

  it('refuses a form without its CSRF token and saves nothing', async () => {
    const setLocalityAssignments = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, setLocalityAssignments },
    });
    const { _csrf, ...noToken } = asStored;
    const res = await postForm(app, '/admin/localities/wigan', {
      ...noToken,
      leads: 'dan.deputy@example.org',
    });
    expect(res.status).toBe(403);
    expect(setLocalityAssignments).not.toHaveBeenCalled();
  });

  it.each<[string, ServiceError, number]>([
    [
      'InvalidInput',
      new InvalidInput('Not in the directory', [
        { field: 'body.leads', reason: 'names people not in the directory: x@example.org' },
      ]),
      400,
    ],
    ['Forbidden', new Forbidden('Only an admin may change the directory.'), 403],
    ['Conflict', new Conflict('Changed meanwhile'), 409],
  ])('shows a %s refusal on the leads field with its status', async (_kind, err, status) => {
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      directory: { ...reading, setLocalityAssignments: () => Promise.reject(err) },
    });
    const res = await postForm(app, '/admin/localities/wigan', {
      ...asStored,
      leads: 'x@example.org',
    });
    expect(res.status).toBe(status);
    expect(pageErrors(res.text).fields).toEqual(['leads']);
  });
});
