/**
 * `npm run rollups:rebuild`: counts the dashboard's totals from the whole read
 * model and makes that the snapshot the projection's deltas add to
 * (store/dashboard-rollups.ts). For a store made before totals were kept, or
 * before they counted all they count now (the worker warns at start), or
 * after a repair by hand. Stop the workers first: a barrier projected while
 * this runs could be counted twice or not at all.
 */
import { loadConfig, requireDatabase } from '../config.ts';
import { openStore } from '../store/store.ts';
import { rebuildRollups } from '../store/dashboard-rollups.ts';
import { markChanged } from '../store/read-cache.ts';
import { runScript } from './lib/run-script.ts';

await runScript('rollups:rebuild', async () => {
  const store = await openStore(requireDatabase(loadConfig()));
  try {
    const done = await rebuildRollups(store.models, (line) => console.log(line));
    // The API processes' dashboards were read from the totals it replaced.
    await markChanged(store.models, 'barriers');
    console.log(
      `dashboard totals rebuilt as snapshot ${done.snapshot} (${done.deltasFolded} earlier deltas set aside); start the workers again`,
    );
  } finally {
    await store.close();
  }
});
