import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { signToken } from '../../../auth/tokens.ts';
import { Conflict, Forbidden, InvalidInput, NotFound, Rejected } from '../../../services/errors.ts';
import { NoAccess } from '../../../services/identity.ts';
import type { Logger } from '../../../services/logger.ts';
import {
  admin,
  appWithAllRoutes,
  authAs,
  expectProblem,
  leighLead,
  signedInAs,
  storedBarrier,
} from '../../support/route-harness.ts';

const preferences = { delivery: 'immediate' as const, alwaysImmediate: ['breached' as const] };

describe('GET /api/v1/openapi.json', () => {
  it('serves the OpenAPI document to anyone, without a token', async () => {
    const res = await request(appWithAllRoutes({})).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/barriers', '/barriers/{id}', '/asks', '/triage', '/audit']),
    );
  });
});

describe('bearer authentication', () => {
  it('is a 401 without a bearer token, and the route is never reached', async () => {
    const list = vi.fn();
    const res = await request(appWithAllRoutes({ barriers: { list } })).get('/api/v1/barriers');
    const problem = expectProblem(res, 401);
    expect(problem.type).toMatch(/\/unauthorized$/);
    expect(problem.detail).toContain('Authorization: Bearer');
    expect(list).not.toHaveBeenCalled();
  });

  it('is a 401 for a token signed with another secret', async () => {
    const resolve = vi.fn();
    const forged = await signToken('not-the-secret', { sub: admin.actor.email, role: 'admin' });
    const res = await request(appWithAllRoutes({ identity: { resolve } }))
      .get('/api/v1/me/preferences')
      .set('Authorization', `Bearer ${forged}`);
    expectProblem(res, 401);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('is a 403 no-access, with the directory’s reason, when identity refuses the caller', async () => {
    const get = vi.fn();
    const app = appWithAllRoutes({
      identity: {
        resolve: () =>
          Promise.reject(new NoAccess('ada@example.org is not in the directory.', 'ada')),
      },
      preferences: { get },
    });
    const res = await request(app)
      .get('/api/v1/me/preferences')
      .set(await authAs(leighLead));
    const problem = expectProblem(res, 403);
    expect(problem.type).toMatch(/\/no-access$/);
    expect(problem.detail).toBe('ada@example.org is not in the directory.');
    expect(get).not.toHaveBeenCalled();
  });

  it('asks the directory for the role named by Acting-As', async () => {
    const resolve = vi.fn(() => Promise.resolve(admin));
    const app = appWithAllRoutes({
      identity: { resolve },
      preferences: { get: () => Promise.resolve(preferences) },
    });
    const res = await request(app)
      .get('/api/v1/me/preferences')
      .set(await authAs(admin))
      .set('Acting-As', 'gmca-triage');
    expect(res.status).toBe(200);
    expect(resolve).toHaveBeenCalledWith(expect.anything(), 'gmca-triage');
  });
});

describe('request bodies', () => {
  it('refuses a body that is not JSON with 415 before anything is done', async () => {
    const raise = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(leighLead), barriers: { raise } });
    const res = await request(app)
      .post('/api/v1/barriers')
      .set(await authAs(leighLead))
      .type('text/plain')
      .send('title=a barrier');
    const problem = expectProblem(res, 415);
    expect(problem.type).toMatch(/\/unsupported-media-type$/);
    expect(raise).not.toHaveBeenCalled();
  });

  it('refuses malformed JSON with a 400 naming the body', async () => {
    const set = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(leighLead), preferences: { set } });
    const res = await request(app)
      .put('/api/v1/me/preferences')
      .set(await authAs(leighLead))
      .type('application/json')
      .send('{"delivery": ');
    expectProblem(res, 400, 'body');
    expect(set).not.toHaveBeenCalled();
  });

  it('refuses text holding a NUL character, naming the field', async () => {
    const set = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(leighLead), preferences: { set } });
    const res = await request(app)
      .put('/api/v1/me/preferences')
      .set(await authAs(leighLead))
      .send({ delivery: 'immediate\u0000' });
    expectProblem(res, 400, 'body.delivery');
    expect(set).not.toHaveBeenCalled();
  });
});

describe('paths and methods the API does not have', () => {
  it('is a 405 naming the methods a path takes', async () => {
    const app = appWithAllRoutes(signedInAs(leighLead));
    const auth = await authAs(leighLead);
    const onList = await request(app).delete('/api/v1/barriers').set(auth);
    const problem = expectProblem(onList, 405);
    expect(problem.type).toMatch(/\/method-not-allowed$/);
    expect(onList.headers.allow?.split(', ').sort()).toEqual(['GET', 'POST']);

    const onOne = await request(app).put('/api/v1/barriers/GT-0001').set(auth);
    expectProblem(onOne, 405);
    expect(onOne.headers.allow).toBe('GET');
  });

  it('is a 404 problem for a path the API does not have', async () => {
    const res = await request(appWithAllRoutes(signedInAs(leighLead)))
      .get('/api/v1/no-such-thing')
      .set(await authAs(leighLead));
    const problem = expectProblem(res, 404);
    expect(problem.type).toMatch(/\/not-found$/);
    expect(problem.detail).toContain('/api/v1/no-such-thing');
  });
});

describe('refusals from the services', () => {
  it.each([
    [new InvalidInput('The request has a problem.'), 400, 'validation'],
    [new Forbidden('Not for you.'), 403, 'forbidden'],
    [new NotFound('There is no such thing.'), 404, 'not-found'],
    [new Conflict('Already there.'), 409, 'conflict'],
    [new Rejected('Not now.'), 422, 'action-rejected'],
  ])('answers %o with %i, passing its detail through', async (err, status, type) => {
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      preferences: { get: () => Promise.reject(err) },
    });
    const res = await request(app)
      .get('/api/v1/me/preferences')
      .set(await authAs(leighLead));
    const problem = expectProblem(res, status);
    expect(problem.detail).toBe(err.detail);
    expect(problem.type).toMatch(new RegExp(`/${type}$`));
  });

  it('answers a database outage with 503, naming the dependency', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoNetworkError' });
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      preferences: { get: () => Promise.reject(down) },
    });
    const res = await request(app)
      .get('/api/v1/me/preferences')
      .set(await authAs(leighLead));
    expect(expectProblem(res, 503)).toMatchObject({ dependency: 'database' });
  });

  it('answers an unexpected error with a logged 500 that does not leak its message', async () => {
    const error = vi.fn();
    const logger: Logger = { debug() {}, info() {}, warn() {}, error };
    const app = appWithAllRoutes(
      {
        ...signedInAs(leighLead),
        barriers: { visible: () => Promise.reject(new Error('secret internals')) },
      },
      { logger },
    );
    const res = await request(app)
      .get('/api/v1/barriers/GT-0001/followers')
      .set(await authAs(leighLead));
    const problem = expectProblem(res, 500);
    expect(JSON.stringify(problem)).not.toContain('secret internals');
    expect(error).toHaveBeenCalledWith('unhandled error', expect.anything());
  });

  it('never sends an answer that does not match its resource schema', async () => {
    const error = vi.fn();
    const logger: Logger = { debug() {}, info() {}, warn() {}, error };
    const barrier = storedBarrier('GT-0001');
    const app = appWithAllRoutes(
      {
        ...signedInAs(leighLead),
        barriers: {
          visible: () => Promise.resolve(barrier),
          followers: () => Promise.resolve({ following: 'yes' } as never),
        },
      },
      { logger },
    );
    const res = await request(app)
      .get('/api/v1/barriers/GT-0001/followers')
      .set(await authAs(leighLead));
    expectProblem(res, 500);
    expect(error).toHaveBeenCalled();
  });
});
