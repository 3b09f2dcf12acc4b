import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import type { Services } from '../../../services/create-services.ts';
import { Conflict, NotFound, Rejected } from '../../../services/errors.ts';
import type { OpenRegister } from '../../../services/open-register/register.ts';
import { reviewTag } from '../../../services/open-register/public-ask.ts';
import {
  appWithAllRoutes,
  authAs,
  expectProblem,
  getPage,
  leighLead,
  pageCookie,
  pageCsrf,
  pageErrors,
  postForm,
  signedInAs,
  triage,
} from '../../support/route-harness.ts';
import { fixturePublicAsk, fixturePublication, PACK_NOW } from '../../support/evidence-pack.ts';

type StoredAsk = Awaited<ReturnType<Services['asks']['visible']>>;
const ask = {
  _id: 'ASK-0003',
  reference: 'ASK-0003',
  lastSeq: 6,
  status: 'submitted',
} as StoredAsk;

/** GMCA triage staff publishing ASK-0003, with the publication services `over` gives. */
const services = (over: Partial<Services['publications']> = {}) => ({
  ...signedInAs(triage),
  asks: { visible: () => Promise.resolve(ask) },
  publications: {
    preview: () => Promise.resolve(fixturePublicAsk()),
    of: () => Promise.resolve(null),
    ...over,
  },
});

/** The tag of ASK-0003's public record: what its preview shows. */
const TAG = reviewTag(fixturePublicAsk());

const registerOf = (items = [fixturePublication()]): OpenRegister => ({
  items,
  all: items,
  lastModified: new Date(PACK_NOW),
});

describe('the open register’s pages, for anyone', () => {
  it('lists published asks without a session, cacheable, with no navigation that needs sign-in', async () => {
    const list = vi.fn(() => Promise.resolve(registerOf()));
    const res = await request(appWithAllRoutes({ openRegister: { list } })).get('/open');
    expect(res.status).toBe(200);
    expect(res.text).toContain('ASK-0003: Let councils see Universal Credit');
    expect(res.text).toContain('Department for Work and Pensions');
    expect(res.text).toContain('Open Government Licence');
    expect(res.text).not.toContain('Sign out');
    expect(res.text).not.toContain('href="/barriers"');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('public, no-cache');
    expect(res.headers['last-modified']).toBe(new Date(PACK_NOW).toUTCString());
    expect(res.headers.etag).toMatch(/^W\/"/);
  });

  for (const path of ['/open', '/open/asks.json', '/open/asks.csv', '/open/asks.atom'])
    it(`answers a poll of ${path} that sends the ETag back with 304 and no body`, async () => {
      let register = registerOf();
      const app = appWithAllRoutes({ openRegister: { list: () => Promise.resolve(register) } });
      const first = await request(app).get(path);
      const again = await request(app).get(path).set('If-None-Match', first.headers.etag!);
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      // Once something is published or withdrawn, the tag no longer matches.
      register = { ...register, lastModified: new Date(PACK_NOW + 1000) };
      const changed = await request(app).get(path).set('If-None-Match', first.headers.etag!);
      expect(changed.status).toBe(200);
    });

  it('passes the filters on, ignoring those left at “any”', async () => {
    const list = vi.fn(() => Promise.resolve(registerOf([])));
    const res = await request(appWithAllRoutes({ openRegister: { list } })).get(
      '/open?q=caseload&department=dwp&outcome=&year=2026',
    );
    expect(res.status).toBe(200);
    expect(list).toHaveBeenCalledWith({ q: 'caseload', department: 'dwp', year: 2026 });
    expect(res.text).toContain('No published asks match');
  });

  it('refuses a filter it does not know with the field and the reason, at 400', async () => {
    const list = vi.fn(() => Promise.resolve(registerOf()));
    const res = await request(appWithAllRoutes({ openRegister: { list } })).get(
      '/open?outcome=maybe&year=1066',
    );
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).summary).toEqual(['outcome', 'year']);
    expect(list).toHaveBeenCalledWith({});
  });

  it('shows a published ask: the ask, the response, the evidence, the cases and the packs', async () => {
    const record = fixturePublicAsk({
      status: 'answered',
      outcome: 'partially-agreed',
      response: 'We will consult on regulations.\n\nA response follows in the spring.',
    });
    const ask = vi.fn(() => Promise.resolve(fixturePublication({ record })));
    const res = await request(appWithAllRoutes({ openRegister: { ask } })).get(
      '/open/asks/ASK-0003',
    );
    expect(res.status).toBe(200);
    expect(ask).toHaveBeenCalledWith('ASK-0003');
    expect(res.text).toContain('<p class="govuk-body">We will consult on regulations.</p>');
    expect(res.text).toContain('A response follows in the spring.');
    expect(res.text).toContain('Partially agreed');
    expect(res.text).toContain('Joint caseload blocked by data sharing rules');
    expect(res.text).toContain('families tell their story four times');
    expect(res.text).toContain('href="/open/asks/ASK-0003/evidence-pack.pdf"');
    expect(res.text).toContain('href="/open/asks/ASK-0003/evidence-pack.docx"');
    expect(res.text).not.toContain('tom.triage');
  });

  it('says when an ask was withdrawn from the register (410), and shows nothing of it', async () => {
    const withdrawn = fixturePublication({
      status: 'withdrawn',
      withdrawnAt: new Date('2026-12-08T10:00:00Z'),
    });
    const app = appWithAllRoutes({ openRegister: { ask: () => Promise.resolve(withdrawn) } });
    const res = await request(app).get('/open/asks/ASK-0003');
    expect(res.status).toBe(410);
    expect(res.text).toContain('withdrawn from the open register on 8 December 2026');
    expect(res.text).not.toContain('Universal Credit');
  });

  it('is a 404 page of its own for an ask never published, and for a pack of one', async () => {
    const app = appWithAllRoutes({
      openRegister: {
        ask: () => Promise.reject(new NotFound('There is no published ask ASK-0009.')),
        pack: () => Promise.reject(new NotFound('There is no published ask ASK-0009.')),
      },
    });
    for (const path of [
      '/open/asks/ASK-0009',
      '/open/asks/ASK-0009/evidence-pack.pdf',
      '/open/asks/ASK-0009/evidence-pack.docx',
      '/open/nothing-here',
    ]) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).toContain('Greater Manchester’s Whitehall asks');
      expect(res.text, path).not.toContain('Sign out');
    }
  });

  it('downloads a published ask’s pack as published', async () => {
    const pack = vi.fn(() =>
      Promise.resolve({
        filename: 'ASK-0003-evidence-pack.pdf',
        contentType: 'application/pdf',
        body: Buffer.from('%PDF-1.7'),
        publishedAt: new Date(PACK_NOW),
      }),
    );
    const res = await request(appWithAllRoutes({ openRegister: { pack } })).get(
      '/open/asks/ASK-0003/evidence-pack.pdf',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('ASK-0003-evidence-pack.pdf');
    expect(pack).toHaveBeenCalledWith('ASK-0003', 'pdf');
    expect(res.headers['last-modified']).toBe(new Date(PACK_NOW).toUTCString());
    expect(res.headers.etag).toMatch(/^W\//);
  });
});

describe('the open register’s data files', () => {
  const app = () =>
    appWithAllRoutes({ openRegister: { list: () => Promise.resolve(registerOf()) } });

  for (const base of ['/open', '/api/v1/open']) {
    it(`serves JSON under the licence at ${base}/asks.json, with no credential`, async () => {
      const res = await request(app()).get(`${base}/asks.json`);
      expect(res.status).toBe(200);
      const body = res.body as { licence: { name: string }; items: Record<string, unknown>[] };
      expect(body.licence.name).toBe('Open Government Licence v3.0');
      expect(body.items[0]).toMatchObject({
        reference: 'ASK-0003',
        url: 'http://localhost:3000/open/asks/ASK-0003',
      });
      expect(body.items[0]).not.toHaveProperty('pack');
      expect(res.headers.link).toContain('rel="license"');
    });
  }

  it('serves CSV with the licence on each row', async () => {
    const res = await request(app()).get('/open/asks.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row] = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toContain('Licence');
    expect(row).toContain('Open Government Licence v3.0');
  });

  it('serves an Atom feed with the licence as its rights', async () => {
    const res = await request(app()).get('/open/asks.atom');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(res.text).toContain('<rights>');
    expect(res.text).toContain('Open Government Licence');
    expect(res.text).toContain('Published: ASK-0003');
  });

  it('answers If-Modified-Since with 304 when nothing was published since', async () => {
    const res = await request(app())
      .get('/open/asks.csv')
      .set('If-Modified-Since', new Date(PACK_NOW + 60_000).toUTCString());
    expect(res.status).toBe(304);
  });

  it('is held to the same rate limit as everything else', async () => {
    const app = appWithAllRoutes(
      { openRegister: { list: () => Promise.resolve(registerOf()) } },
      { perMinute: 3 },
    );
    for (let i = 0; i < 3; i++)
      expect((await request(app).get('/open/asks.json')).status).toBe(200);
    const limited = await request(app).get('/open/asks.atom');
    expectProblem(limited, 429);
    expect(limited.headers['retry-after']).toBeDefined();
    const page = await request(app).get('/open');
    expect(page.status).toBe(429);
    expect(page.text).toContain('Too many requests');
    expect(page.text).not.toContain('Go to barriers');
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a bad filter with problem+json naming it', async () => {
    const res = await request(app()).get('/open/asks.json?department=ministry-of-magic');
    expectProblem(res, 400, 'query.department');
  });
});

describe('publishing an ask from its page', () => {
  it('shows the preview of exactly what will be public, with the form', async () => {
    const res = await getPage(appWithAllRoutes(services()), '/asks/ASK-0003/publish');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Preview: the ask as the open register will show it');
    expect(res.text).toContain('families tell their story four times');
    expect(res.text).toContain('Raised with the minister’s private office');
    expect(res.text).toContain(`name="reviewed" value="${TAG}"`);
    expect(res.text).toContain('Publish this ask');
  });

  it('is not for a neighbourhood lead', async () => {
    const app = appWithAllRoutes({ ...services(), ...signedInAs(leighLead) });
    expect((await getPage(app, '/asks/ASK-0003/publish')).status).toBe(403);
  });

  it('says why a draft cannot be published', async () => {
    const preview = () =>
      Promise.reject(new Rejected('ASK-0003 is a draft: only an ask that has been submitted…'));
    const res = await getPage(appWithAllRoutes(services({ preview })), '/asks/ASK-0003/publish');
    expect(res.status).toBe(422);
    expect(res.text).toContain('ASK-0003 is a draft');
  });

  it('publishes what was previewed once confirmed, and returns to the ask with a banner', async () => {
    const publish = vi.fn(() => Promise.resolve(fixturePublication()));
    const res = await postForm(appWithAllRoutes(services({ publish })), '/asks/ASK-0003/publish', {
      _csrf: pageCsrf,
      reviewed: TAG,
      confirm: 'yes',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/asks/ASK-0003?done=published');
    expect(publish).toHaveBeenCalledWith(expect.objectContaining(triage.actor), 'pages', ask, TAG);
  });

  it('publishes nothing without the confirmation, and says what is missing', async () => {
    const publish = vi.fn();
    const res = await postForm(appWithAllRoutes(services({ publish })), '/asks/ASK-0003/publish', {
      _csrf: pageCsrf,
      reviewed: TAG,
    });
    expect(res.status).toBe(400);
    expect(pageErrors(res.text)).toEqual({ summary: ['confirm'], fields: ['confirm'] });
    expect(publish).not.toHaveBeenCalled();
  });

  it('shows the new preview when the ask changed since the one read', async () => {
    const publish = () => Promise.reject(new Conflict('ASK-0003 has changed since the preview'));
    const res = await postForm(appWithAllRoutes(services({ publish })), '/asks/ASK-0003/publish', {
      _csrf: pageCsrf,
      reviewed: 'a-tag-of-an-older-preview',
      confirm: 'yes',
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('ASK-0003 has changed since the preview');
    expect(res.text).toContain(`name="reviewed" value="${TAG}"`);
  });

  it('publishes nothing from a form that lost what it previewed', async () => {
    const publish = vi.fn();
    const res = await postForm(appWithAllRoutes(services({ publish })), '/asks/ASK-0003/publish', {
      _csrf: pageCsrf,
      confirm: 'yes',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('The form came back incomplete');
    expect(publish).not.toHaveBeenCalled();
  });

  it('withdraws it from the register', async () => {
    const withdraw = vi.fn(() => Promise.resolve(fixturePublication({ status: 'withdrawn' })));
    const res = await postForm(
      appWithAllRoutes(services({ withdraw })),
      '/asks/ASK-0003/unpublish',
      { _csrf: pageCsrf },
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/asks/ASK-0003?done=unpublished');
    expect(withdraw).toHaveBeenCalled();
  });

  it('changes nothing on a forged form', async () => {
    const publish = vi.fn();
    const res = await request(appWithAllRoutes(services({ publish })))
      .post('/asks/ASK-0003/publish')
      .set('Cookie', pageCookie)
      .type('form')
      .send(`reviewed=${TAG}&confirm=yes&_csrf=forged`);
    expect(res.status).toBe(403);
    expect(publish).not.toHaveBeenCalled();
  });
});

describe('publishing through the API', () => {
  it('gives the preview and the tag to publish exactly it', async () => {
    const res = await request(appWithAllRoutes(services()))
      .get('/api/v1/asks/ASK-0003/publication')
      .set(await authAs(triage));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'not-published',
      previewVersion: 6,
      previewTag: TAG,
      publishable: { ok: true },
      preview: { reference: 'ASK-0003' },
    });
  });

  it('publishes the preview the tag names', async () => {
    const publish = vi.fn(() => Promise.resolve(fixturePublication()));
    const res = await request(
      appWithAllRoutes(services({ publish, of: () => Promise.resolve(fixturePublication()) })),
    )
      .put('/api/v1/asks/ASK-0003/publication')
      .set(await authAs(triage))
      .send({ previewTag: TAG });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'published',
      url: 'http://localhost:3000/open/asks/ASK-0003',
    });
    expect(publish).toHaveBeenCalledWith(expect.anything(), 'api', ask, TAG);
  });

  it('refuses a body without the preview’s tag, changing nothing', async () => {
    const publish = vi.fn();
    const res = await request(appWithAllRoutes(services({ publish })))
      .put('/api/v1/asks/ASK-0003/publication')
      .set(await authAs(triage))
      .send({ previewTag: 'latest' });
    expectProblem(res, 400, 'body.previewTag');
    expect(publish).not.toHaveBeenCalled();
  });

  it('is 409 when the ask changed since the preview, 422 for a draft', async () => {
    const changed = appWithAllRoutes(
      services({ publish: () => Promise.reject(new Conflict('changed')) }),
    );
    expectProblem(
      await request(changed)
        .put('/api/v1/asks/ASK-0003/publication')
        .set(await authAs(triage))
        .send({ previewTag: 'a-tag-of-an-older-preview' }),
      409,
    );
    const draft = appWithAllRoutes(
      services({ publish: () => Promise.reject(new Rejected('a draft')) }),
    );
    expectProblem(
      await request(draft)
        .put('/api/v1/asks/ASK-0003/publication')
        .set(await authAs(triage))
        .send({ previewTag: TAG }),
      422,
    );
  });

  it('is for GMCA triage staff and admins only', async () => {
    const res = await request(appWithAllRoutes({ ...services(), ...signedInAs(leighLead) }))
      .delete('/api/v1/asks/ASK-0003/publication')
      .set(await authAs(leighLead));
    expectProblem(res, 403);
  });
});
