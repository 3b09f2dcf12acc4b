/** 5. Horizontal scale: lifecycle throughput with a second worker process on the same queue. */
import { perSecond, round2, type Harness } from '../lib/harness.ts';
import type { LifecycleRuns } from './lifecycle.ts';

export async function measureHorizontal(h: Harness, { lifeRate }: LifecycleRuns): Promise<void> {
  await h.addWorker();
  const two = await h.raiseThroughApi(h.sizes.throughput, 'raised with two workers');
  const twoRate = perSecond(h.sizes.throughput, two.elapsedMs);
  h.record({
    name: 'Horizontal scale',
    rows: [
      { what: 'lifecycle throughput, one worker process', value: lifeRate, unit: '/s' },
      { what: 'lifecycle throughput, two worker processes', value: twoRate, unit: '/s' },
    ],
    ratio: { what: 'two workers / one', value: round2(twoRate / lifeRate) },
  });
}
