import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Conflict } from '../../../services/errors.ts';
import {
  admin,
  appWithAllRoutes,
  authAs,
  expectProblem,
  signedInAs,
  triage,
} from '../../support/route-harness.ts';
import { fastPolicy } from '../../support/policies.ts';

const v1 = fastPolicy(60, 1);
const v2 = fastPolicy(60, 2);
const stored = {
  id: v1.id,
  version: 1,
  createdAt: '2026-12-07T10:51:00.000Z',
  createdBy: admin.actor.email,
  policy: v1,
};

describe('GET /api/v1/policies', () => {
  it('lists every stored version for an admin', async () => {
    const versions = vi.fn(() => Promise.resolve([stored]));
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { versions } });
    const res = await request(app)
      .get('/api/v1/policies')
      .set(await authAs(admin));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: 'test-fast', version: 1, createdBy: admin.actor.email }),
    ]);
    expect(versions).toHaveBeenCalledWith(expect.objectContaining(admin.actor));
  });

  it('is a 403 for anyone but an admin, reading nothing', async () => {
    const versions = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(triage), policies: { versions } });
    const res = await request(app)
      .get('/api/v1/policies')
      .set(await authAs(triage));
    expect(expectProblem(res, 403).detail).toBe('Only an admin may read or change SLA policies.');
    expect(versions).not.toHaveBeenCalled();
  });
});

describe('POST /api/v1/policies', () => {
  const adding = (add = vi.fn(() => Promise.resolve())) => ({
    add,
    app: appWithAllRoutes({ ...signedInAs(admin), policies: { add } }),
  });

  it('stores the new version: 201, Location the policies, the version as stored', async () => {
    const { app, add } = adding();
    const res = await request(app)
      .post('/api/v1/policies')
      .set(await authAs(admin))
      .send(v2);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/v1/policies');
    expect(res.body).toMatchObject({ id: 'test-fast', version: 2, policy: { name: v2.name } });
    expect(add).toHaveBeenCalledWith(expect.objectContaining(admin.actor), 'api', v2);
  });

  it.each([
    ['body.version', { ...v2, version: 0 }],
    ['body.calendar', { ...v2, calendar: 'lunar' }],
    ['body.owner', { ...v2, owner: 'ada' }],
  ])('refuses a bad policy naming %s, storing nothing', async (field, body) => {
    const { app, add } = adding();
    const res = await request(app)
      .post('/api/v1/policies')
      .set(await authAs(admin))
      .send(body);
    expectProblem(res, 400, field);
    expect(add).not.toHaveBeenCalled();
  });

  it('is a 409 with the reason for a version that is not newer', async () => {
    const taken = new Conflict(
      'Policy test-fast is already at version 2; a new version must be higher.',
    );
    const { app } = adding(vi.fn(() => Promise.reject(taken)));
    const res = await request(app)
      .post('/api/v1/policies')
      .set(await authAs(admin))
      .send(v2);
    expect(expectProblem(res, 409).detail).toBe(taken.detail);
  });

  it('is a 403 for anyone but an admin, storing nothing', async () => {
    const add = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(triage), policies: { add } });
    const res = await request(app)
      .post('/api/v1/policies')
      .set(await authAs(triage))
      .send(v2);
    expectProblem(res, 403);
    expect(add).not.toHaveBeenCalled();
  });
});
