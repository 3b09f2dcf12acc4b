import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { NotFound } from '../../../services/errors.ts';
import {
  appWithAllRoutes,
  authAs,
  expectProblem,
  leighLead,
  signedInAs,
} from '../../support/route-harness.ts';

const view = (delivery: 'immediate' | 'daily-digest') => ({
  delivery,
  alwaysImmediate: ['breached' as const, 'escalated' as const],
});
const notInDirectory = new NotFound(
  'nia.lead@example.org is not in the directory, so has no preferences.',
);

describe('GET /api/v1/me/preferences', () => {
  it('gives the caller’s own preferences', async () => {
    const get = vi.fn(() => Promise.resolve(view('daily-digest')));
    const app = appWithAllRoutes({ ...signedInAs(leighLead), preferences: { get } });
    const res = await request(app)
      .get('/api/v1/me/preferences')
      .set(await authAs(leighLead));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(view('daily-digest'));
    expect(get).toHaveBeenCalledWith(expect.objectContaining(leighLead.actor));
  });

  it('is a 404 with the reason for someone not in the directory', async () => {
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      preferences: { get: () => Promise.reject(notInDirectory) },
    });
    const res = await request(app)
      .get('/api/v1/me/preferences')
      .set(await authAs(leighLead));
    expect(expectProblem(res, 404).detail).toBe(notInDirectory.detail);
  });
});

describe('PUT /api/v1/me/preferences', () => {
  it('saves the delivery asked for and answers with the preferences now', async () => {
    const set = vi.fn(() => Promise.resolve(view('daily-digest')));
    const app = appWithAllRoutes({ ...signedInAs(leighLead), preferences: { set } });
    const res = await request(app)
      .put('/api/v1/me/preferences')
      .set(await authAs(leighLead))
      .send({ delivery: 'daily-digest' });
    expect(res.status).toBe(200);
    expect(res.body.delivery).toBe('daily-digest');
    expect(set).toHaveBeenCalledWith(expect.objectContaining(leighLead.actor), {
      delivery: 'daily-digest',
    });
  });

  it.each([
    [{ delivery: 'weekly' }, 'body.delivery'],
    [{}, 'body.delivery'],
    [{ delivery: 'immediate', alwaysImmediate: [] }, 'body.alwaysImmediate'],
  ])('refuses %o naming %s, saving nothing', async (body, field) => {
    const set = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(leighLead), preferences: { set } });
    const res = await request(app)
      .put('/api/v1/me/preferences')
      .set(await authAs(leighLead))
      .send(body);
    expectProblem(res, 400, field);
    expect(set).not.toHaveBeenCalled();
  });

  it('is a 404 with the reason for someone not in the directory', async () => {
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      preferences: { set: () => Promise.reject(notInDirectory) },
    });
    const res = await request(app)
      .put('/api/v1/me/preferences')
      .set(await authAs(leighLead))
      .send({ delivery: 'immediate' });
    expect(expectProblem(res, 404).detail).toBe(notInDirectory.detail);
  });
});
