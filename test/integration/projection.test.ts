/**
 * The read-model projection is idempotent and only moves forward: a retried
 * activity never duplicates timeline events, and a late, older snapshot never
 * rewinds the barrier.
 */
import { describe, expect } from 'vitest';
import { createProjectionActivities } from '../../activities/projection.ts';
import { BarrierMachine } from '../../domain/barrier/barrier-machine.ts';
import { testDetails } from '../../domain/barrier/test-machine.ts';
import { toView } from '../../workflows/barrier/barrier-workflow.ts';
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
    const t0 = Date.parse('2026-11-23T10:00:00Z');
    const m = BarrierMachine.raise({
      id: 'GT-7001',
      reference: 'GT-7001',
      raisedBy: 'lead@example.org',
      policy: fastPolicy(60),
      now: t0,
      details: testDetails(),
    });
    m.assign({ email: 'owner@example.org', name: 'Owner', reason: 'neighbourhood-lead' }, t0);
    const first = { workflowId: 'barrier-GT-7001', view: toView(m), events: m.takeEvents() };
    m.apply(
      { type: 'acknowledge' },
      { email: 'owner@example.org', role: 'neighbourhood-lead' },
      t0 + 1000,
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
  });
});
