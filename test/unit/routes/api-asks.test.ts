import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import type { Services } from '../../../services/create-services.ts';
import { InvalidInput, NotFound, Rejected } from '../../../services/errors.ts';
import {
  appWithAllRoutes,
  authAs,
  expectProblem,
  leighLead,
  signedInAs,
  triage,
} from '../../support/route-harness.ts';

type StoredAsk = Awaited<ReturnType<Services['asks']['visible']>>;
type AskDetail = Awaited<ReturnType<Services['asks']['detail']>>;

/** A draft ask as the read model holds it, bundling GT-0042. */
const ask = {
  _id: 'ASK-0007',
  reference: 'ASK-0007',
  title: 'Shared case notes',
  department: 'dhsc',
  ask: 'Let partners share case notes.',
  createdBy: triage.actor.email,
  owner: { email: triage.actor.email, name: triage.name },
  createdAt: new Date('2026-12-07T10:51:00Z'),
  status: 'draft',
  barrierIds: ['GT-0042'],
  submittedAt: null,
  dueAt: null,
  chasers: 0,
  nextChaseAt: null,
  outcome: null,
  response: null,
  respondedAt: null,
  evidence: null,
  lastSeq: 1,
  projectedAt: new Date('2026-12-07T10:51:00Z'),
} as unknown as StoredAsk;

const detail = {
  ask,
  evidence: null,
  timeline: [
    {
      _id: 'ASK-0007:1',
      barrierId: 'ASK-0007',
      seq: 1,
      at: new Date('2026-12-07T10:51:00Z'),
      type: 'ask-created',
      stage: 'whitehall',
      actor: triage.actor.email,
      details: {},
    },
  ],
  barriers: [
    {
      _id: 'GT-0042',
      reference: 'GT-0042',
      title: 'No shared case notes',
      locality: 'wigan',
      neighbourhood: 'leigh',
      stage: 'gmca',
      status: 'open',
    },
  ],
} as unknown as AskDetail;

const newAsk = {
  title: 'Shared case notes',
  department: 'dhsc',
  ask: 'Let partners share case notes.',
  barrierIds: ['GT-0042'],
};

describe('POST /api/v1/asks', () => {
  const creating = (create = vi.fn(() => Promise.resolve({ id: 'ASK-0007' }))) => ({
    create,
    app: appWithAllRoutes({
      ...signedInAs(triage),
      asks: { create: create as never, reread: () => Promise.resolve(detail) },
    }),
  });

  it('creates the ask: 201, its URL in Location, the ask with its barriers and timeline', async () => {
    const { app, create } = creating();
    const res = await request(app)
      .post('/api/v1/asks')
      .set(await authAs(triage))
      .send(newAsk);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/v1/asks/ASK-0007');
    expect(res.body).toMatchObject({
      id: 'ASK-0007',
      department: 'dhsc',
      departmentName: 'Department of Health and Social Care',
      status: 'draft',
      barrierIds: ['GT-0042'],
    });
    expect(res.body.barriers).toEqual([expect.objectContaining({ id: 'GT-0042', stage: 'gmca' })]);
    expect(res.body.timeline).toHaveLength(1);
    expect(create).toHaveBeenCalledWith(expect.objectContaining(triage.actor), newAsk);
  });

  it.each([
    [{ ...newAsk, barrierIds: [] }, 'body.barrierIds'],
    [{ ...newAsk, barrierIds: ['GT-0042', 'GT-0042'] }, 'body.barrierIds'],
    [{ ...newAsk, barrierIds: ['42'] }, 'body.barrierIds.0'],
    [{ ...newAsk, department: 'ministry-of-magic' }, 'body.department'],
    [{ ...newAsk, title: undefined }, 'body.title'],
  ])('refuses %o naming %s, creating nothing', async (body, field) => {
    const { app, create } = creating();
    const res = await request(app)
      .post('/api/v1/asks')
      .set(await authAs(triage))
      .send(body);
    expectProblem(res, 400, field);
    expect(create).not.toHaveBeenCalled();
  });

  it('is a 403 for someone who does not run asks, creating nothing', async () => {
    const create = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(leighLead), asks: { create } });
    const res = await request(app)
      .post('/api/v1/asks')
      .set(await authAs(leighLead))
      .send(newAsk);
    expect(expectProblem(res, 403).detail).toMatch(/GMCA triage/);
    expect(create).not.toHaveBeenCalled();
  });

  it('passes on the refusals of the bundle: 400 naming the barrier, 422 for its state', async () => {
    const auth = await authAs(triage);
    const notABarrier = new InvalidInput('GT-0099 is not a barrier', [
      { field: 'body.barrierIds', reason: 'GT-0099 is not a barrier' },
    ]);
    const { app: first } = creating(vi.fn(() => Promise.reject(notABarrier)));
    const invalid = await request(first).post('/api/v1/asks').set(auth).send(newAsk);
    const problem = expectProblem(invalid, 400, 'body.barrierIds');
    expect(problem.detail).toBe('GT-0099 is not a barrier');

    const closed = new Rejected('Only open barriers at the gmca stage go into a Whitehall ask.');
    const { app: second } = creating(vi.fn(() => Promise.reject(closed)));
    const rejected = await request(second).post('/api/v1/asks').set(auth).send(newAsk);
    expect(expectProblem(rejected, 422).detail).toBe(closed.detail);
  });
});

describe('GET /api/v1/asks', () => {
  const listing = () => {
    const list = vi.fn(() => Promise.resolve([ask]));
    return {
      list,
      app: appWithAllRoutes({ ...signedInAs(triage), asks: { list: list as never } }),
    };
  };

  it('lists the asks the caller can see, with the filters asked for', async () => {
    const { app, list } = listing();
    const res = await request(app)
      .get('/api/v1/asks?status=draft&department=dhsc')
      .set(await authAs(triage));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: 'ASK-0007', title: 'Shared case notes', evidence: null }),
    ]);
    expect(list).toHaveBeenCalledWith(
      expect.objectContaining(triage.actor),
      expect.objectContaining({ status: 'draft', department: 'dhsc' }),
    );
  });

  it.each([
    ['status=lost', 'query.status'],
    ['outcome=maybe', 'query.outcome'],
    ['format=pdf', 'query.format'],
    ['page=2', 'query.page'],
  ])('refuses ?%s naming %s, listing nothing', async (query, field) => {
    const { app, list } = listing();
    const res = await request(app)
      .get(`/api/v1/asks?${query}`)
      .set(await authAs(triage));
    expectProblem(res, 400, field);
    expect(list).not.toHaveBeenCalled();
  });

  it('exports the register as a CSV attachment with format=csv', async () => {
    const { app } = listing();
    const res = await request(app)
      .get('/api/v1/asks?format=csv')
      .set(await authAs(triage));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?whitehall-asks\.csv"?$/,
    );
    expect(res.text).toContain('Reference');
    expect(res.text).toContain('ASK-0007');
    expect(res.text).toContain('Shared case notes');
  });
});

describe('GET /api/v1/asks/:id', () => {
  it('gives the ask with its barriers and timeline', async () => {
    const visible = vi.fn(() => Promise.resolve(ask));
    const app = appWithAllRoutes({
      ...signedInAs(triage),
      asks: { visible, detail: () => Promise.resolve(detail) },
    });
    const res = await request(app)
      .get('/api/v1/asks/ASK-0007')
      .set(await authAs(triage));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'ASK-0007', barriers: [{ id: 'GT-0042' }] });
    expect(visible).toHaveBeenCalledWith(expect.objectContaining(triage.actor), 'ASK-0007');
  });

  it('refuses an id that is not an ask reference, reading nothing', async () => {
    const visible = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(triage), asks: { visible } });
    const res = await request(app)
      .get('/api/v1/asks/GT-0042')
      .set(await authAs(triage));
    expectProblem(res, 400, 'path.id');
    expect(visible).not.toHaveBeenCalled();
  });

  it('is a 404 with the reason for an ask the caller cannot see', async () => {
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      asks: {
        visible: () => Promise.reject(new NotFound('There is no ask ASK-0007 that you can see.')),
      },
    });
    const res = await request(app)
      .get('/api/v1/asks/ASK-0007')
      .set(await authAs(leighLead));
    expect(expectProblem(res, 404).detail).toBe('There is no ask ASK-0007 that you can see.');
  });
});

describe('POST /api/v1/asks/:id/actions', () => {
  const acting = (act = vi.fn(() => Promise.resolve())) => ({
    act,
    app: appWithAllRoutes({
      ...signedInAs(triage),
      asks: {
        visible: () => Promise.resolve(ask),
        act,
        detailAfterChange: () =>
          Promise.resolve({ ...detail, ask: { ...ask, status: 'submitted' } }),
      },
    }),
  });

  it('takes the action and answers with the ask as it is now', async () => {
    const { app, act } = acting();
    const res = await request(app)
      .post('/api/v1/asks/ASK-0007/actions')
      .set(await authAs(triage))
      .send({ type: 'submit' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'ASK-0007', status: 'submitted' });
    expect(act).toHaveBeenCalledWith(expect.objectContaining(triage.actor), ask, {
      type: 'submit',
    });
  });

  it.each([
    [{ type: 'shred' }, 'body.type'],
    [{ type: 'record-response', outcome: 'maybe', response: 'r' }, 'body.outcome'],
    [{ type: 'add-barrier', barrierId: 'ASK-0001' }, 'body.barrierId'],
    [{ type: 'withdraw' }, 'body.reason'],
  ])('refuses %o naming %s, doing nothing', async (body, field) => {
    const { app, act } = acting();
    const res = await request(app)
      .post('/api/v1/asks/ASK-0007/actions')
      .set(await authAs(triage))
      .send(body);
    expectProblem(res, 400, field);
    expect(act).not.toHaveBeenCalled();
  });

  it('refuses a path id that is not an ask reference', async () => {
    const { app, act } = acting();
    const res = await request(app)
      .post('/api/v1/asks/ask-7/actions')
      .set(await authAs(triage))
      .send({ type: 'submit' });
    expectProblem(res, 400, 'path.id');
    expect(act).not.toHaveBeenCalled();
  });

  it('is a 403 for someone who does not run asks', async () => {
    const act = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(leighLead), asks: { act } });
    const res = await request(app)
      .post('/api/v1/asks/ASK-0007/actions')
      .set(await authAs(leighLead))
      .send({ type: 'submit' });
    expectProblem(res, 403);
    expect(act).not.toHaveBeenCalled();
  });

  it('is a 422 with the reason when the ask’s state does not allow the action', async () => {
    const refusal = new Rejected('You cannot submit on ASK-0007 now: it is withdrawn.');
    const { app } = acting(vi.fn(() => Promise.reject(refusal)));
    const res = await request(app)
      .post('/api/v1/asks/ASK-0007/actions')
      .set(await authAs(triage))
      .send({ type: 'submit' });
    expect(expectProblem(res, 422).detail).toBe(refusal.detail);
  });
});
