import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Forbidden } from '../../../services/errors.ts';
import {
  admin,
  appWithAllRoutes,
  authAs,
  expectProblem,
  signedInAs,
  wiganLead,
} from '../../support/route-harness.ts';

const entry = {
  at: '2026-12-07T10:51:00.000Z',
  actor: admin.actor.email,
  action: 'policy.added',
  target: 'policy:default@2',
  before: { version: 1 },
  after: null,
  via: 'api',
};

describe('GET /api/v1/audit', () => {
  const reading = () => {
    const list = vi.fn(() => Promise.resolve([entry]));
    return { list, app: appWithAllRoutes({ ...signedInAs(admin), audit: { list } }) };
  };

  it('gives the entries matching the filters', async () => {
    const { app, list } = reading();
    const res = await request(app)
      .get('/api/v1/audit?action=policy.added&from=2026-12-01&to=2026-12-31')
      .set(await authAs(admin));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [entry] });
    expect(list).toHaveBeenCalledWith(expect.objectContaining(admin.actor), {
      action: 'policy.added',
      from: '2026-12-01',
      to: '2026-12-31',
    });
  });

  it('exports the entries as a CSV attachment with format=csv', async () => {
    const { app } = reading();
    const res = await request(app)
      .get('/api/v1/audit?format=csv')
      .set(await authAs(admin));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?golden-thread-audit\.csv"?$/,
    );
    expect(res.text).toContain('at,actor,action,target,via,before,after');
    expect(res.text).toContain('policy:default@2');
  });

  it.each([
    ['from=1 December', 'query.from'],
    ['to=2026-13-01', 'query.to'],
    ['format=xlsx', 'query.format'],
    ['who=ada', 'query.who'],
  ])('refuses ?%s naming %s, reading nothing', async (query, field) => {
    const { app, list } = reading();
    const res = await request(app)
      .get(`/api/v1/audit?${query}`)
      .set(await authAs(admin));
    expectProblem(res, 400, field);
    expect(list).not.toHaveBeenCalled();
  });

  it('is a 403 with the reason for anyone but an admin, sending no file', async () => {
    const refuse = () => Promise.reject(new Forbidden('Only an admin may read the audit log.'));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), audit: { list: refuse } });
    const res = await request(app)
      .get('/api/v1/audit?format=csv')
      .set(await authAs(wiganLead));
    expect(expectProblem(res, 403).detail).toBe('Only an admin may read the audit log.');
    expect(res.headers['content-disposition']).toBeUndefined();
  });
});
