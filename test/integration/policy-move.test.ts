/**
 * Moving the open barriers of one SLA policy version onto another, as a
 * workflow, through the real API: the request returns at once, progress is
 * there to follow, starting it twice is one move, a worker restart in the
 * middle loses nothing and moves nothing twice, and a barrier closed
 * meanwhile is reported, not moved.
 */
import { expect } from 'vitest';
import { leighRaiseBody, type TestApi } from '../support/api.ts';
import { admin, localityLead } from '../support/people.ts';
import { stackTest } from '../support/fixtures.ts';
import { until } from '../support/processes.ts';
import type { TestStack } from '../support/stack.ts';
import type { GoldenThreadWorker } from '../../worker/create-worker.ts';
import { POLICY_MOVE_BATCH } from '../../workflows/policy/policy-move-workflow.ts';

const it = stackTest('policy-move', { worker: false });

const v2 = {
  id: 'default',
  version: 2,
  name: 'Faster neighbourhood response',
  calendar: 'working-hours-england-and-wales',
  reopenWindow: 'P10D',
  stages: {
    neighbourhood: { acknowledge: 'PT4H', resolve: 'P5D' },
    locality: { acknowledge: 'P1D', resolve: 'P10D' },
    gmca: { acknowledge: 'P2D', resolve: 'P20D' },
    whitehall: { acknowledge: 'P5D', resolve: 'P20D' },
  },
};

/** More than one batch, so a restart can fall between batches. */
const BARRIERS = POLICY_MOVE_BATCH + 6;

it('moves every open barrier once, through a worker restart, with progress to follow', async ({
  stack,
  api,
}: {
  stack: TestStack;
  api: TestApi;
}) => {
  const [lead, adminToken] = await Promise.all([
    api.token(localityLead('wigan')),
    api.token(admin()),
  ]);
  let worker: GoldenThreadWorker = await stack.startWorker();
  const ids: string[] = [];
  for (let i = 0; i < BARRIERS; i++) {
    const res = await api.call('POST', '/api/v1/barriers', {
      token: lead,
      body: leighRaiseBody(`Policy move ${i}`),
    });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  expect((await api.call('POST', '/api/v1/policies', { token: adminToken, body: v2 })).status).toBe(
    201,
  );

  // A bad request names the field and starts nothing.
  const same = await api.call('POST', '/api/v1/policies/moves', {
    token: adminToken,
    body: { from: 1, to: 1 },
  });
  expect(same.status).toBe(400);
  expect(same.body.errors).toEqual([expect.objectContaining({ field: 'body.to' })]);
  const missing = await api.call('GET', '/api/v1/policies/moves/MOVE-nope', { token: adminToken });
  expect(missing.status).toBe(400);
  expect(await stack.store.models.PolicyMove.countDocuments()).toBe(0);

  // With no worker running, the request still answers at once: the move waits for one.
  worker.shutdown();
  await until('the worker to stop', () => worker.getState() === 'STOPPED', 30_000);
  const started = await api.call('POST', '/api/v1/policies/moves', {
    token: adminToken,
    body: { from: 1, to: 2 },
  });
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({
    status: 'moving',
    total: BARRIERS,
    done: 0,
    from: 1,
    to: 2,
  });
  expect(started.body.changes).toContainEqual(expect.stringMatching(/^Acknowledge target at/));
  const moveUrl = `/api/v1/policies/moves/${started.body.id}`;
  expect(started.headers.get('location')).toBe(moveUrl);
  // Starting it again is the same move.
  const again = await api.call('POST', '/api/v1/policies/moves', {
    token: adminToken,
    body: { policyId: 'default', from: 1, to: 2 },
  });
  expect(again.body.id).toBe(started.body.id);
  // Only an admin may follow it.
  expect((await api.call('GET', moveUrl, { token: lead })).status).toBe(403);

  // A barrier withdrawn before the move reaches it is reported, not moved.
  const withdrawn = ids.at(-1)!;
  worker = await stack.startWorker();
  const w = await api.call('POST', `/api/v1/barriers/${withdrawn}/actions`, {
    token: lead,
    body: { type: 'withdraw', reason: 'Raised twice by mistake.' },
  });
  expect(w.status).toBe(200);

  // A restart after the first batch: the next worker carries on from there.
  const progress = async () => (await api.call('GET', moveUrl, { token: adminToken })).body;
  await until('the first batch', async () => (await progress()).done >= POLICY_MOVE_BATCH, 90_000);
  worker.shutdown();
  await until('the worker to stop', () => worker.getState() === 'STOPPED', 30_000);
  await stack.startWorker();
  await until('the move to finish', async () => (await progress()).status === 'done', 90_000);

  const done = await progress();
  expect(done).toMatchObject({ status: 'done', total: BARRIERS, done: BARRIERS });
  expect(done.migrated).toEqual(ids.filter((id) => id !== withdrawn).sort());
  expect(done.skipped).toEqual([{ id: withdrawn, reason: expect.stringContaining('withdrawn') }]);
  expect(Date.parse(done.finishedAt)).toBeGreaterThanOrEqual(Date.parse(done.startedAt));

  // Each barrier moved once: one entry on each timeline, and the version it now follows.
  const moves = await stack.store.models.TimelineEvent.find({ type: 'policy-migrated' }).lean();
  expect(moves.map((e) => e.barrierId).sort()).toEqual(done.migrated);
  const barrier = await api.call('GET', `/api/v1/barriers/${ids[0]}`, { token: lead });
  expect(barrier.body.policyVersion).toEqual({ id: 'default', version: 2 });
  // One audit entry says what happened.
  const audit = await stack.store.models.AuditEntry.find({
    action: 'policy.barriers-migrated',
  }).lean();
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ actor: admin().sub, via: 'api' });
}, 240_000);
