import { describe, expect } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRoutedBarrier, testBarrierId } from '../support/barriers.ts';
import { buildSeedDirectory } from '../../store/seed/directory-data.ts';
import { fastPolicy } from '../support/policies.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

const it = stackTest('wf');
let stack: TestStack;
it.beforeAll(({ stack: s }) => {
  stack = s;
});
const dir = buildSeedDirectory();
const leigh = dir.localities
  .find((l) => l._id === 'wigan')!
  .neighbourhoods.find((n) => n.slug === 'leigh')!;

describe('barrierWorkflow on the dev server', () => {
  it('routes to the neighbourhood lead, projects to the read model, and climbs on breach', async () => {
    const id = testBarrierId('T');
    const { view } = await startRoutedBarrier(stack.client, stack.taskQueue, {
      id,
      raisedBy: dir.localities.find((l) => l._id === 'wigan')!.leads[0]!,
      policy: fastPolicy(4),
      details: { description: 'GPs cannot see social care notes.' },
    });
    expect(view.owner?.email).toBe(leigh.lead);
    expect(view.stage).toBe('neighbourhood');

    const doc = await stack.store.models.Barrier.findById(id).lean();
    expect(doc?.ownerEmail).toBe(leigh.lead);

    // Nobody acts: the acknowledge clock (2 s) breaches and it climbs to locality, then gmca.
    let stage = '';
    for (let i = 0; i < 60 && stage !== 'gmca'; i++) {
      await sleep(250);
      stage = (await stack.store.models.Barrier.findById(id).lean())?.stage ?? '';
    }
    expect(stage).toBe('gmca');
    const types = (
      await stack.store.models.TimelineEvent.find({ barrierId: id }).sort({ seq: 1 }).lean()
    ).map((e) => `${e.type}@${e.stage}`);
    expect(types.slice(0, 3)).toEqual([
      'raised@neighbourhood',
      'routed@neighbourhood',
      'warning@neighbourhood',
    ]);
    expect(types).toContain('breached@neighbourhood');
    expect(types).toContain('escalated@locality');
    expect(types).toContain('escalated@gmca');
  });
});
