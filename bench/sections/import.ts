/**
 * 6. Import: a barrier log of `importRows` rows (5,000 in the default run)
 * through the API, its dry run and its import workflow, with the worker
 * process SIGKILLed about halfway and a new one started. Reports the dry
 * run's time, the import's rate beside the raise rate measured in the same
 * run, how often progress moved, and that every row became one barrier.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { buildSeedDirectory } from '../../store/seed/directory-data.ts';
import { perSecond, round2, say, type Harness } from '../lib/harness.ts';
import type { LifecycleRuns } from './lifecycle.ts';

const HEADER = 'Title,Description,Locality,Neighbourhood,Category,Raised on,Status,Resolution';

/** A log across all ten localities; every tenth row already resolved. */
function barrierLog(rows: number, run: string): string {
  const localities = buildSeedDirectory().localities;
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const l = localities[i % localities.length]!;
    const n = l.neighbourhoods[Math.floor(i / localities.length) % l.neighbourhoods.length]!;
    const closed = i % 10 === 0;
    lines.push(
      [
        `Imported barrier ${run}-${i}`,
        'From the benchmark log',
        l._id,
        n.slug,
        'data-sharing',
        `2026-0${(i % 9) + 1}-1${i % 10}`,
        closed ? 'resolved' : 'open',
        closed ? 'Resolved before the import' : '',
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export async function measureImport(h: Harness, { lifeRate }: LifecycleRuns): Promise<void> {
  const rows = h.sizes.importRows;
  const csv = barrierLog(rows, h.run);
  const t0 = performance.now();
  const checked = await h.call(
    'POST',
    `/api/v1/imports?filename=bench-${h.run}.csv`,
    h.admin,
    csv,
    'text/csv',
  );
  const dryRunMs = Math.round(performance.now() - t0);
  const id = checked.id as string;
  say(`import: dry run of ${rows} rows in ${dryRunMs} ms`);

  const t1 = performance.now();
  await h.call('POST', `/api/v1/imports/${id}/start`, h.admin);
  let updates = 0;
  let last = -1;
  let killedAt: number | null = null;
  for (;;) {
    const doc = (await h.store.models.Import.findById(id).lean())!;
    if (doc.done !== last) {
      updates++;
      last = doc.done;
      say(`import: ${doc.done}/${rows} rows`);
    }
    if (killedAt === null && doc.done >= rows / 2 && doc.status !== 'done') {
      // Halfway: the worker dies without warning; a new one takes over.
      killedAt = doc.done;
      for (const w of h.workers)
        if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
      await h.addWorker();
      say(`import: every worker killed at ${killedAt}/${rows}; a new one started`);
    }
    if (doc.status === 'done') break;
    await sleep(500);
  }
  const importMs = performance.now() - t1;
  const done = (await h.store.models.Import.findById(id).lean())!;
  const barriers = await h.store.models.ImportedBarrier.countDocuments({ importId: id });
  const rate = perSecond(rows, importMs);
  h.record({
    name: `Import of ${rows} rows (workers killed midway)`,
    rows: [
      { what: 'dry run (check and store the plan)', value: dryRunMs, unit: 'ms' },
      { what: 'import, start to done', value: Math.round(importMs / 100) / 10, unit: 's' },
      { what: 'import rate', value: rate, unit: 'rows/s' },
      { what: 'progress updates seen', value: updates, unit: '' },
      { what: 'worker killed at row', value: killedAt ?? -1, unit: '' },
      { what: 'barriers created', value: done.created, unit: '' },
      { what: 'rows claimed (one barrier each)', value: barriers, unit: '' },
    ],
    ratio: { what: 'import rate / lifecycle raise rate', value: round2(rate / lifeRate) },
    targets: [
      { what: 'every row imported once', met: done.created === rows && barriers === rows },
      { what: 'survived the worker kill', met: killedAt !== null && done.status === 'done' },
    ],
  });
}
