import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
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
});
