import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Conflict, Forbidden, NotFound, Rejected, invalidField } from '../../../services/errors.ts';
import {
  appWithAllRoutes,
  authAs,
  expectProblem,
  leighLead,
  signedInAs,
  storedBarrier,
  wiganLead,
} from '../../support/route-harness.ts';

const barrier = storedBarrier('GT-0042');
const raised = {
  _id: 'GT-0042:1',
  barrierId: 'GT-0042',
  seq: 1,
  at: new Date('2026-12-07T10:51:00Z'),
  recordedAt: null,
  type: 'raised',
  stage: 'neighbourhood',
  actor: 'leah.walsh@example.org',
  details: {},
};
const page = { barrier, timeline: [raised] };
const raiseBody = {
  title: 'No shared case notes',
  description: 'Partners cannot see each other’s notes.',
  locality: 'wigan',
  neighbourhood: 'leigh',
  category: 'data-sharing',
};
const followers = {
  following: true,
  items: [{ email: leighLead.actor.email, name: leighLead.name }],
};

describe('POST /api/v1/barriers', () => {
  const raising = (raise = vi.fn(() => Promise.resolve('GT-0042'))) => ({
    raise,
    app: appWithAllRoutes({
      ...signedInAs(wiganLead),
      barriers: { raise, reread: () => Promise.resolve(page) },
    }),
  });

  it('raises the barrier: 201, its URL in Location, the barrier with its timeline', async () => {
    const { app, raise } = raising();
    const res = await request(app)
      .post('/api/v1/barriers')
      .set(await authAs(wiganLead))
      .send(raiseBody);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/v1/barriers/GT-0042');
    expect(res.body).toMatchObject({ id: 'GT-0042', stage: 'neighbourhood', status: 'open' });
    expect(res.body.timeline).toEqual([
      expect.objectContaining({ seq: 1, type: 'raised', at: '2026-12-07T10:51:00.000Z' }),
    ]);
    expect(raise).toHaveBeenCalledWith(
      expect.objectContaining(wiganLead.actor),
      { ...raiseBody, evidence: [] },
      undefined,
    );
  });

  it('passes the Idempotency-Key header to the raise', async () => {
    const { app, raise } = raising();
    const res = await request(app)
      .post('/api/v1/barriers')
      .set(await authAs(wiganLead))
      .set('Idempotency-Key', 'raise-7f3a')
      .send(raiseBody);
    expect(res.status).toBe(201);
    expect(raise).toHaveBeenCalledWith(expect.anything(), expect.anything(), 'raise-7f3a');
  });

  it('refuses an Idempotency-Key that is not visible ASCII, raising nothing', async () => {
    const { app, raise } = raising();
    const res = await request(app)
      .post('/api/v1/barriers')
      .set(await authAs(wiganLead))
      .set('Idempotency-Key', 'two words')
      .send(raiseBody);
    expectProblem(res, 400, 'header.idempotency-key');
    expect(raise).not.toHaveBeenCalled();
  });

  it('names each bad field of the body, raising nothing', async () => {
    const { app, raise } = raising();
    const res = await request(app)
      .post('/api/v1/barriers')
      .set(await authAs(wiganLead))
      .send({ ...raiseBody, title: '  ', locality: 'atlantis', colour: 'red' });
    const problem = expectProblem(res, 400, 'body.title');
    expect(problem.errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(['body.locality', 'body.colour']),
    );
    expect(raise).not.toHaveBeenCalled();
  });

  it('passes on the raise’s refusals: 403, 409, and 400 naming the field', async () => {
    const auth = await authAs(wiganLead);
    const refusals = [
      [new Forbidden('You may raise barriers in wigan only.'), 403],
      [new Conflict('This Idempotency-Key was already used with a different body.'), 409],
      [
        invalidField('leigh is not a neighbourhood of bolton.', 'body.neighbourhood', 'is not'),
        400,
      ],
    ] as const;
    for (const [err, status] of refusals) {
      const { app } = raising(vi.fn(() => Promise.reject(err)));
      const res = await request(app).post('/api/v1/barriers').set(auth).send(raiseBody);
      expect(expectProblem(res, status).detail).toBe(err.detail);
    }
  });
});

describe('GET /api/v1/barriers', () => {
  const listing = () => {
    const list = vi.fn(() => Promise.resolve({ items: [barrier], nextCursor: 'next-page' }));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { list: list as never } });
    return { app, list };
  };

  it('gives a page of barriers and the next cursor, with the filters asked for', async () => {
    const { app, list } = listing();
    const res = await request(app)
      .get('/api/v1/barriers?locality=wigan&status=open&q=case+notes&limit=10')
      .set(await authAs(wiganLead));
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBe('next-page');
    expect(res.body.items.map((b: { id: string }) => b.id)).toEqual(['GT-0042']);
    expect(list).toHaveBeenCalledWith(
      expect.objectContaining(wiganLead.actor),
      expect.objectContaining({
        locality: 'wigan',
        status: 'open',
        limit: 10,
        sort: 'nextDeadline',
        words: ['case', 'notes'],
      }),
    );
  });

  it('takes a cursor a previous page gave', async () => {
    const { app, list } = listing();
    const cursor = Buffer.from(JSON.stringify({ v: 0, id: 'GT-0041' })).toString('base64url');
    const res = await request(app)
      .get(`/api/v1/barriers?cursor=${cursor}`)
      .set(await authAs(wiganLead));
    expect(res.status).toBe(200);
    expect(list).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ cursor }));
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=many', 'query.limit'],
    ['sort=title', 'query.sort'],
    ['breached=yes', 'query.breached'],
    ['owner=nobody', 'query.owner'],
    ['format=xml', 'query.format'],
    ['colour=red', 'query.colour'],
  ])('refuses ?%s naming %s, listing nothing', async (query, field) => {
    const { app, list } = listing();
    const res = await request(app)
      .get(`/api/v1/barriers?${query}`)
      .set(await authAs(wiganLead));
    expectProblem(res, 400, field);
    expect(list).not.toHaveBeenCalled();
  });

  it('refuses a cursor no page gave, naming query.cursor, listing nothing', async () => {
    const { app, list } = listing();
    const res = await request(app)
      .get('/api/v1/barriers?cursor=not-a-cursor')
      .set(await authAs(wiganLead));
    expectProblem(res, 400, 'query.cursor');
    expect(list).not.toHaveBeenCalled();
  });

  it('is a 403 with the reason when the filters name an area outside the caller’s', async () => {
    const refuse = () => Promise.reject(new Forbidden('You may list barriers in wigan only.'));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { list: refuse } });
    const res = await request(app)
      .get('/api/v1/barriers?locality=bolton')
      .set(await authAs(wiganLead));
    expect(expectProblem(res, 403).detail).toBe('You may list barriers in wigan only.');
  });

  it('exports every matching barrier as a CSV attachment with format=csv', async () => {
    const csv = vi.fn(() => ({
      filename: 'golden-thread-barriers.csv',
      write: (out: NodeJS.WritableStream) =>
        new Promise<void>((done) =>
          out.end('Reference,Title\r\nGT-0042,No shared case notes\r\n', done),
        ),
    }));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { csv } });
    const res = await request(app)
      .get('/api/v1/barriers?format=csv&status=open')
      .set(await authAs(wiganLead));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?golden-thread-barriers\.csv"?$/,
    );
    expect(res.text).toContain('GT-0042,No shared case notes');
    expect(csv).toHaveBeenCalledWith(
      expect.objectContaining(wiganLead.actor),
      expect.objectContaining({ status: 'open', format: 'csv' }),
    );
  });

  it('refuses a CSV export outside the caller’s area with a 403 problem, not a file', async () => {
    const csv = () => {
      throw new Forbidden('You may list barriers in wigan only.');
    };
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), barriers: { csv } });
    const res = await request(app)
      .get('/api/v1/barriers?format=csv&locality=bolton')
      .set(await authAs(wiganLead));
    expect(expectProblem(res, 403).detail).toBe('You may list barriers in wigan only.');
    expect(res.headers['content-disposition']).toBeUndefined();
  });
});

describe('GET /api/v1/barriers/:id', () => {
  it('gives the barrier with its timeline', async () => {
    const withTimeline = vi.fn(() => Promise.resolve(page));
    const app = appWithAllRoutes({ ...signedInAs(leighLead), barriers: { withTimeline } });
    const res = await request(app)
      .get('/api/v1/barriers/GT-0042')
      .set(await authAs(leighLead));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'GT-0042', title: 'Barrier GT-0042' });
    expect(res.body.timeline).toHaveLength(1);
    expect(withTimeline).toHaveBeenCalledWith(expect.objectContaining(leighLead.actor), 'GT-0042');
  });

  it('refuses an id that is not a barrier reference, reading nothing', async () => {
    const withTimeline = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(leighLead), barriers: { withTimeline } });
    const res = await request(app)
      .get('/api/v1/barriers/42')
      .set(await authAs(leighLead));
    expectProblem(res, 400, 'path.id');
    expect(withTimeline).not.toHaveBeenCalled();
  });

  it('is a 404 with the reason for a barrier the caller cannot see', async () => {
    const hidden = () =>
      Promise.reject(new NotFound('There is no barrier GT-0099 that you can see.'));
    const app = appWithAllRoutes({ ...signedInAs(leighLead), barriers: { withTimeline: hidden } });
    const res = await request(app)
      .get('/api/v1/barriers/GT-0099')
      .set(await authAs(leighLead));
    expect(expectProblem(res, 404).detail).toBe('There is no barrier GT-0099 that you can see.');
  });
});

describe('POST /api/v1/barriers/:id/actions', () => {
  const acting = (act = vi.fn(() => Promise.resolve())) => ({
    act,
    app: appWithAllRoutes({
      ...signedInAs(leighLead),
      barriers: {
        visible: () => Promise.resolve(barrier),
        act,
        reread: () => Promise.resolve({ ...page, barrier: { ...barrier, acknowledged: true } }),
      },
    }),
  });

  it('takes the action and answers with the barrier as it is now', async () => {
    const { app, act } = acting();
    const res = await request(app)
      .post('/api/v1/barriers/GT-0042/actions')
      .set(await authAs(leighLead))
      .send({ type: 'acknowledge', note: 'On it' });
    expect(res.status).toBe(200);
    expect(res.headers.location).toBe('/api/v1/barriers/GT-0042');
    expect(res.body).toMatchObject({ id: 'GT-0042', acknowledged: true });
    expect(act).toHaveBeenCalledWith(expect.objectContaining(leighLead.actor), 'api', barrier, {
      type: 'acknowledge',
      note: 'On it',
    });
  });

  it.each([
    [{ type: 'dance' }, 'body.type'],
    [{ type: 'comment' }, 'body.text'],
    [{ type: 'reassign', to: 'not-an-email' }, 'body.to'],
    [{ type: 'acknowledge', extra: true }, 'body.extra'],
  ])('refuses %o naming %s, doing nothing', async (body, field) => {
    const { app, act } = acting();
    const res = await request(app)
      .post('/api/v1/barriers/GT-0042/actions')
      .set(await authAs(leighLead))
      .send(body);
    expectProblem(res, 400, field);
    expect(act).not.toHaveBeenCalled();
  });

  it('refuses a path id that is not a barrier reference', async () => {
    const { app, act } = acting();
    const res = await request(app)
      .post('/api/v1/barriers/barrier-42/actions')
      .set(await authAs(leighLead))
      .send({ type: 'acknowledge' });
    expectProblem(res, 400, 'path.id');
    expect(act).not.toHaveBeenCalled();
  });

  it('is a 404 for a barrier the caller cannot see, acting on nothing', async () => {
    const act = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      barriers: {
        visible: () =>
          Promise.reject(new NotFound('There is no barrier GT-0099 that you can see.')),
        act,
      },
    });
    const res = await request(app)
      .post('/api/v1/barriers/GT-0099/actions')
      .set(await authAs(leighLead))
      .send({ type: 'acknowledge' });
    expect(expectProblem(res, 404).detail).toBe('There is no barrier GT-0099 that you can see.');
    expect(act).not.toHaveBeenCalled();
  });

  it('passes on the barrier’s refusals: 403 for the role, 422 for the state', async () => {
    const auth = await authAs(leighLead);
    for (const [err, status] of [
      [new Forbidden('Only the owner may resolve GT-0042.'), 403],
      [new Rejected('You cannot acknowledge GT-0042 now: it is paused.'), 422],
    ] as const) {
      const { app } = acting(vi.fn(() => Promise.reject(err)));
      const res = await request(app)
        .post('/api/v1/barriers/GT-0042/actions')
        .set(auth)
        .send({ type: 'acknowledge' });
      expect(expectProblem(res, status).detail).toBe(err.detail);
    }
  });
});

describe('GET /api/v1/barriers/:id/followers', () => {
  it('lists who follows the barrier, and whether the caller does', async () => {
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      barriers: {
        visible: () => Promise.resolve(barrier),
        followers: () => Promise.resolve(followers),
      },
    });
    const res = await request(app)
      .get('/api/v1/barriers/GT-0042/followers')
      .set(await authAs(leighLead));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(followers);
  });

  it('is a 404 for a barrier the caller cannot see', async () => {
    const followersOf = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      barriers: {
        visible: () =>
          Promise.reject(new NotFound('There is no barrier GT-0099 that you can see.')),
        followers: followersOf,
      },
    });
    const res = await request(app)
      .get('/api/v1/barriers/GT-0099/followers')
      .set(await authAs(leighLead));
    expectProblem(res, 404);
    expect(followersOf).not.toHaveBeenCalled();
  });
});

describe('PUT and DELETE /api/v1/barriers/:id/following', () => {
  const following = () => {
    const setFollowing = vi.fn((_actor: unknown, _b: unknown, on: boolean) =>
      Promise.resolve({ ...followers, following: on }),
    );
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      barriers: { visible: () => Promise.resolve(barrier), setFollowing },
    });
    return { app, setFollowing };
  };

  it('follows with PUT and unfollows with DELETE', async () => {
    const { app, setFollowing } = following();
    const auth = await authAs(leighLead);
    const on = await request(app).put('/api/v1/barriers/GT-0042/following').set(auth);
    expect(on.status).toBe(200);
    expect(on.body.following).toBe(true);
    expect(setFollowing).toHaveBeenLastCalledWith(
      expect.objectContaining(leighLead.actor),
      barrier,
      true,
    );
    const off = await request(app).delete('/api/v1/barriers/GT-0042/following').set(auth);
    expect(off.status).toBe(200);
    expect(off.body.following).toBe(false);
    expect(setFollowing).toHaveBeenLastCalledWith(expect.anything(), barrier, false);
  });

  it('refuses a path id that is not a barrier reference', async () => {
    const { app, setFollowing } = following();
    const res = await request(app)
      .put('/api/v1/barriers/GT-42/following')
      .set(await authAs(leighLead));
    expectProblem(res, 400, 'path.id');
    expect(setFollowing).not.toHaveBeenCalled();
  });
});
