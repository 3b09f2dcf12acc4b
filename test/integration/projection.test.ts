/**
 * The read-model projection is idempotent and only moves forward: a retried
 * activity never duplicates timeline events, and a late, older snapshot never
 * rewinds the barrier.
 */
import { describe, expect } from 'vitest';
import { createProjectionActivities } from '../../activities/projection.ts';
import { T0, routed } from '../../domain/barrier/test-machine.ts';
import { toView } from '../../workflows/barrier/barrier-workflow.ts';
import { barrierResource } from '../../api/representations.ts';
import { getTimeline, readBarrierPage } from '../../store/barrier-queries.ts';
import { fastPolicy } from '../support/policies.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

const it = stackTest('projection', { stack: { seed: false }, worker: false });
let stack: TestStack;
it.beforeAll(({ stack: s }) => {
  stack = s;
});

describe('projectBarrier', () => {
  it('applies each event once and never goes backwards', async () => {
    // Without the outbox flag nothing is queued: a queue that fails says so if it is.
    const activities = createProjectionActivities(stack.store.models, () =>
      Promise.reject(new Error('nothing should be queued here')),
    );
    const projectBarrier = (input: Parameters<typeof activities.projectBarrier>[0]) =>
      activities.projectBarrier(input);
    const m = routed('GT-7001', fastPolicy(60));
    const first = { workflowId: 'barrier-GT-7001', view: toView(m), events: m.takeEvents() };
    m.apply(
      { type: 'acknowledge' },
      { email: 'owner@example.org', role: 'neighbourhood-lead' },
      T0 + 1000,
    );
    const second = { workflowId: 'barrier-GT-7001', view: toView(m), events: m.takeEvents() };

    await projectBarrier(first);
    await projectBarrier(first); // a retry
    await projectBarrier(second);
    await projectBarrier(first); // a late retry of an older change
    await projectBarrier(second);

    const timeline = await stack.store.models.TimelineEvent.find({ barrierId: 'GT-7001' })
      .sort({ seq: 1 })
      .lean();
    expect(timeline.map((e) => `${e.seq}:${e.type}`)).toEqual([
      '1:raised',
      '2:routed',
      '3:acknowledged',
    ]);
    const doc = await stack.store.models.Barrier.findById('GT-7001').lean();
    expect(doc).toMatchObject({ lastSeq: 3, acknowledged: true, ownerEmail: 'owner@example.org' });
    expect(await stack.store.models.Barrier.countDocuments({ _id: 'GT-7001' })).toBe(1);

    // The page answers in one read what the barrier and its timeline answer in two.
    const page = await readBarrierPage(stack.store.models, 'GT-7001');
    expect(page).not.toBeNull();
    expect(page!.barrier.lastSeq).toBe(3);
    const apart = barrierResource(doc!, await getTimeline(stack.store.models, doc!));
    expect(barrierResource(page!.barrier, page!.timeline)).toEqual(apart);
    expect(apart.timeline).toHaveLength(3);
  });

  it('leaves a page that cannot answer alone to the barrier and its timeline', async () => {
    const { models } = stack.store;
    const activities = createProjectionActivities(models, () => Promise.resolve());
    const m = routed('GT-7002', fastPolicy(60));
    await activities.projectBarrier({ workflowId: 'w', view: toView(m), events: m.takeEvents() });
    expect(await readBarrierPage(models, 'GT-7002')).not.toBeNull();
    // A barrier projected before pages existed has a page with only its later events.
    await models.BarrierPage.collection.updateOne({ _id: 'GT-7002' } as object, {
      $unset: { 'events.1': '' },
    });
    expect(await readBarrierPage(models, 'GT-7002')).toBeNull();
    // Nor one with barriers merged into it: their timelines join its own.
    await models.BarrierPage.collection.updateOne({ _id: 'GT-7002' } as object, {
      $set: { 'events.1': { seq: 1 }, 'barrier.mergedFrom': ['GT-7001'] },
    });
    expect(await readBarrierPage(models, 'GT-7002')).toBeNull();
    expect(await readBarrierPage(models, 'GT-7999')).toBeNull();
  });
});
