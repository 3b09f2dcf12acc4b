import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import {
  admin,
  appWithAllRoutes,
  authAs,
  expectProblem,
  fieldValue,
  getPage,
  pageCsrf,
  pageErrors,
  postForm,
  signedInAs,
} from '../../support/route-harness.ts';

const SECRET = 'whsec_c2VjcmV0LXNob3duLW9uY2Utb25seS1vbmNlLW9ubHk=';
const view = {
  id: 'WH-0A1B2C3D',
  name: 'Wigan case management',
  url: 'https://hooks.example.org/gt',
  eventTypes: ['barrier.raised'],
  locality: null,
  status: 'active' as const,
  statusReason: null,
  statusChangedAt: '2026-12-07T10:00:00.000Z',
  secrets: [{ id: 'a1b2c3d4', createdAt: '2026-12-07T10:00:00.000Z', expiresAt: null }],
  failures: 0,
  failingSince: null,
  lastDeliveredAt: null,
  createdAt: '2026-12-07T10:00:00.000Z',
  createdBy: admin.actor.email,
  updatedAt: '2026-12-07T10:00:00.000Z',
};
const delivery = (id: string, status: 'pending' | 'delivered') => ({
  id,
  eventId: 'GT-0042:1',
  eventType: 'barrier.raised' as const,
  subjectId: 'GT-0042',
  seq: 1,
  createdAt: '2026-12-07T10:00:00.000Z',
  status,
  attempts: 1,
  deliveredAt: status === 'delivered' ? '2026-12-07T10:00:01.000Z' : null,
  redeliveries: 0,
  log: [
    {
      at: '2026-12-07T10:00:01.000Z',
      status: status === 'delivered' ? 204 : 500,
      durationMs: 12,
      error: status === 'delivered' ? null : 'answered 500',
      response: null,
    },
  ],
});

describe('POST /api/v1/webhooks', () => {
  it('refuses a body without event types, naming the field, and adds nothing', async () => {
    const create = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), webhooks: { create } });
    const res = await request(app)
      .post('/api/v1/webhooks')
      .set(await authAs(admin))
      .send({ name: 'x', url: 'https://hooks.example.org/' });
    expect(expectProblem(res, 400).errors).toEqual([
      expect.objectContaining({ field: 'body.eventTypes' }),
    ]);
    expect(create).not.toHaveBeenCalled();
  });

  it('answers 201 with the subscription and its secret', async () => {
    const create = vi.fn(() => Promise.resolve({ webhook: view, secret: SECRET }));
    const app = appWithAllRoutes({ ...signedInAs(admin), webhooks: { create } });
    const res = await request(app)
      .post('/api/v1/webhooks')
      .set(await authAs(admin))
      .send({ name: view.name, url: view.url, eventTypes: ['barrier.raised'] });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/webhooks/${view.id}`);
    expect(res.body).toEqual({ webhook: view, secret: SECRET });
  });
});

describe('the webhook pages', () => {
  it('refuse a form without a URL or events, saying which, keeping what was typed', async () => {
    const create = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), webhooks: { create } });
    const res = await postForm(app, '/admin/webhooks/new', {
      _csrf: pageCsrf,
      name: 'Wigan case management',
      url: '',
      locality: '',
    });
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).summary).toEqual(['url', 'eventTypes']);
    expect(fieldValue(res.text, 'name')).toBe('Wigan case management');
    expect(create).not.toHaveBeenCalled();
  });

  it('show the secret once, on the page answering the form', async () => {
    const create = vi.fn(() => Promise.resolve({ webhook: view, secret: SECRET }));
    const get = vi.fn(() => Promise.resolve(view));
    const deliveries = vi.fn(() =>
      Promise.resolve([delivery('msg_aaaaaaaaaaaaaaaaaaaaaaaaaaa', 'delivered')]),
    );
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      webhooks: { create, get, deliveries },
    });
    const res = await postForm(app, '/admin/webhooks/new', {
      _csrf: pageCsrf,
      name: view.name,
      url: view.url,
      eventTypes: ['barrier.raised', 'barrier.routed'],
      locality: '',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(SECRET);
    expect(create).toHaveBeenCalledWith(expect.objectContaining(admin.actor), 'pages', {
      name: view.name,
      url: view.url,
      eventTypes: ['barrier.raised', 'barrier.routed'],
      locality: null,
    });
    const page = await getPage(app, `/admin/webhooks/${view.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(SECRET);
  });

  it('offer Redeliver for a finished delivery, not for one still being tried', async () => {
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      webhooks: {
        get: () => Promise.resolve(view),
        deliveries: () =>
          Promise.resolve([
            delivery('msg_aaaaaaaaaaaaaaaaaaaaaaaaaaa', 'delivered'),
            delivery('msg_bbbbbbbbbbbbbbbbbbbbbbbbbbb', 'pending'),
          ]),
      },
    });
    const page = await getPage(app, `/admin/webhooks/${view.id}`);
    expect(page.text).toContain('value="msg_aaaaaaaaaaaaaaaaaaaaaaaaaaa"');
    expect(page.text).not.toContain('value="msg_bbbbbbbbbbbbbbbbbbbbbbbbbbb"');
    expect(page.text).toContain('answered 500');
  });

  it('change a subscription from a form filled with what it holds', async () => {
    const change = vi.fn(() => Promise.resolve(view));
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      webhooks: { get: () => Promise.resolve(view), change },
    });
    const form = await getPage(app, `/admin/webhooks/${view.id}/edit`);
    expect(form.status).toBe(200);
    expect(fieldValue(form.text, 'url')).toBe(view.url);
    expect(form.text).toMatch(/value="barrier.raised" checked/);
    const res = await postForm(app, `/admin/webhooks/${view.id}/edit`, {
      _csrf: pageCsrf,
      name: 'Renamed',
      url: view.url,
      eventTypes: ['barrier.resolved'],
      locality: 'bury',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/webhooks/${view.id}?done=changed`);
    expect(change).toHaveBeenCalledWith(expect.objectContaining(admin.actor), 'pages', view.id, {
      name: 'Renamed',
      url: view.url,
      eventTypes: ['barrier.resolved'],
      locality: 'bury',
    });
  });
});
