import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { BARRIER_ACTION_TYPES } from '../../../domain/barrier/action-types.ts';
import { Rejected } from '../../../services/errors.ts';
import {
  appWithAllRoutes,
  leighLead,
  pageCookie,
  pageCsrf,
  signedInAs,
  storedBarrier,
} from '../../support/route-harness.ts';

const barrier = storedBarrier('GT-0007');
const reading = {
  withTimeline: () => Promise.resolve({ barrier, timeline: [] }),
  followers: () => Promise.resolve({ following: false, items: [] }),
  visible: () => Promise.resolve(barrier),
  namesOf: () => Promise.resolve({}),
};

/** A form for each action that the service would accept, as the page's fields post it. */
const FILLED_FORMS: Record<(typeof BARRIER_ACTION_TYPES)[number], Record<string, string>> = {
  acknowledge: {},
  comment: { text: 'Spoke to the trust' },
  'request-info': { reason: 'awaiting-information', question: 'Which wards?' },
  'provide-info': { response: 'All of them' },
  reassign: { to: 'ben.jones@example.org' },
  escalate: { reason: 'No progress in a month' },
  resolve: { resolution: 'Agreement signed' },
  withdraw: { reason: 'Raised in error' },
  reopen: { reason: 'It came back' },
  'migrate-policy': { policyVersion: '2' },
  accept: { owner: 'gm.owner@example.org', resolveTarget: '10 working days' },
  return: { reason: 'A local matter' },
  merge: { into: 'gt-0008' },
  link: { with: 'GT-0009' },
  promote: { askId: 'ASK-0001' },
};

/** The success banner on a page, as its words, or undefined when there is none. */
const banner = (html: string) => {
  const m =
    /<div class="govuk-notification-banner govuk-notification-banner--success"([^>]*)>([\s\S]*?)<\/div>\s*<\/div>/.exec(
      html,
    );
  if (!m) return undefined;
  expect(m[1]).toContain('role="alert"');
  expect(m[1]).toContain('data-module="govuk-notification-banner"');
  return /<p class="govuk-notification-banner__heading">\s*([\s\S]*?)\s*<\/p>/.exec(m[2]!)?.[1];
};

describe('the barrier page', () => {
  it('sends someone who is not signed in to sign in', async () => {
    const res = await request(appWithAllRoutes({})).get('/barriers/GT-0007');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
  });

  it('shows the barrier with the actions the lead may take now', async () => {
    const app = appWithAllRoutes({ ...signedInAs(leighLead), barriers: reading });
    const res = await request(app).get('/barriers/GT-0007').set('Cookie', pageCookie);
    expect(res.status).toBe(200);
    expect(res.text).toContain('GT-0007');
    expect(res.text).toContain('Barrier GT-0007');
    expect(res.text).toMatch(/name="type" value="acknowledge"/);
  });

  it('takes an action and goes back to the barrier saying what was done', async () => {
    const act = vi.fn(() => Promise.resolve());
    const app = appWithAllRoutes({ ...signedInAs(leighLead), barriers: { ...reading, act } });
    const res = await request(app)
      .post('/barriers/GT-0007/actions')
      .set('Cookie', pageCookie)
      .type('form')
      .send({ _csrf: pageCsrf, type: 'acknowledge' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/barriers/GT-0007?done=acknowledge');
    expect(act).toHaveBeenCalledWith(expect.objectContaining(leighLead.actor), 'pages', barrier, {
      type: 'acknowledge',
    });
  });

  it('refuses a form without its CSRF token and changes nothing', async () => {
    const act = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(leighLead), barriers: { ...reading, act } });
    const res = await request(app)
      .post('/barriers/GT-0007/actions')
      .set('Cookie', pageCookie)
      .type('form')
      .send({ type: 'acknowledge' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Your form expired');
    expect(act).not.toHaveBeenCalled();
  });

  it('shows a field error for a bad form, and a refusal from the barrier, on the page', async () => {
    const refuse = () => Promise.reject(new Rejected('GT-0007 is paused'));
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      barriers: { ...reading, act: refuse },
    });
    const bad = await request(app)
      .post('/barriers/GT-0007/actions')
      .set('Cookie', pageCookie)
      .type('form')
      .send({ _csrf: pageCsrf, type: 'resolve' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('govuk-error-summary');
    const refused = await request(app)
      .post('/barriers/GT-0007/actions')
      .set('Cookie', pageCookie)
      .type('form')
      .send({ _csrf: pageCsrf, type: 'acknowledge' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('GT-0007 is paused');
  });

  it.each(BARRIER_ACTION_TYPES)(
    'after %s, goes back to the barrier and announces in a banner what was done',
    async (type) => {
      const act = vi.fn(() => Promise.resolve());
      const app = appWithAllRoutes({ ...signedInAs(leighLead), barriers: { ...reading, act } });
      const res = await request(app)
        .post('/barriers/GT-0007/actions')
        .set('Cookie', pageCookie)
        .type('form')
        .send({ _csrf: pageCsrf, type, ...FILLED_FORMS[type] });
      expect(res.status).toBe(303);
      expect(act).toHaveBeenCalledOnce();
      const after = await request(app).get(res.headers.location!).set('Cookie', pageCookie);
      expect(after.status).toBe(200);
      const words = banner(after.text);
      expect(words).toMatch(/^GT-0007 [a-z]/);
      expect(words?.slice('GT-0007 '.length)).not.toMatch(/-|undefined/);
    },
  );

  it.each(['follow', 'unfollow'])('after %s, says so in a banner', async (done) => {
    const setFollowing = vi.fn(() => Promise.resolve({ following: true, items: [] }));
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      barriers: { ...reading, setFollowing },
    });
    const res = await request(app)
      .post('/barriers/GT-0007/following')
      .set('Cookie', pageCookie)
      .type('form')
      .send({ _csrf: pageCsrf, following: String(done === 'follow') });
    expect(res.headers.location).toBe(`/barriers/GT-0007?done=${done}`);
    const after = await request(app).get(res.headers.location!).set('Cookie', pageCookie);
    expect(banner(after.text)).toBe(
      done === 'follow'
        ? 'You follow GT-0007: its progress will be emailed to you.'
        : 'You no longer follow GT-0007.',
    );
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'hacked', '', '<b>x</b>'])(
    'shows no banner for a forged done=%s',
    async (done) => {
      const app = appWithAllRoutes({ ...signedInAs(leighLead), barriers: reading });
      const res = await request(app)
        .get('/barriers/GT-0007')
        .query({ done })
        .set('Cookie', pageCookie);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('govuk-notification-banner');
    },
  );

  it('shows no banner for done given twice', async () => {
    const app = appWithAllRoutes({ ...signedInAs(leighLead), barriers: reading });
    const res = await request(app)
      .get('/barriers/GT-0007?done=acknowledge&done=resolve')
      .set('Cookie', pageCookie);
    expect(res.text).not.toContain('govuk-notification-banner');
  });

  it('names the raiser and the timeline’s people, an email only where the directory has no name', async () => {
    const timeline = [
      {
        barrierId: 'GT-0007',
        seq: 1,
        type: 'raised',
        at: new Date('2026-11-02T10:00:00Z'),
        actor: 'nia.lead@example.org',
        details: {},
      },
      {
        barrierId: 'GT-0007',
        seq: 2,
        type: 'warning',
        at: new Date('2026-11-03T10:00:00Z'),
        actor: 'system',
        details: {},
      },
      {
        barrierId: 'GT-0007',
        seq: 3,
        type: 'comment',
        at: new Date('2026-11-04T10:00:00Z'),
        actor: 'gone.person@example.org',
        details: { text: 'Hello' },
      },
    ];
    const namesOf = vi.fn(() =>
      Promise.resolve({ 'nia.lead@example.org': 'Nia Lead', 'raiser@example.org': 'Rae Iser' }),
    );
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      barriers: {
        ...reading,
        withTimeline: () => Promise.resolve({ barrier, timeline } as never),
        namesOf,
      },
    });
    const res = await request(app).get('/barriers/GT-0007').set('Cookie', pageCookie);
    expect(res.status).toBe(200);
    expect(namesOf).toHaveBeenCalledOnce();
    expect(namesOf).toHaveBeenCalledWith(
      expect.arrayContaining([
        'raiser@example.org',
        'nia.lead@example.org',
        'gone.person@example.org',
      ]),
    );
    const raisedBy = /Raised by\s*<\/dt>\s*<dd[^>]*>\s*([^<]*)/.exec(res.text)?.[1];
    expect(raisedBy).toMatch(/^Rae Iser, /);
    const bylines = [...res.text.matchAll(/moj-timeline__byline">\s*by ([^<]*?)\s*</g)].map(
      (m) => m[1],
    );
    expect(bylines).toEqual(['gone.person@example.org', 'Golden Thread', 'Nia Lead']);
    expect(res.text).not.toContain('raiser@example.org');
  });
});
