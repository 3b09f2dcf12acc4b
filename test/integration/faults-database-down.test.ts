/**
 * The database down for a while (FerretDB killed): workflows keep their state
 * and answer queries, deadlines that pass meanwhile are recorded at their time,
 * projections retry without losing an event, and once the database is back the
 * read model converges to exactly the workflow state for every barrier (a
 * reconciliation check compares the two).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLocalStackConfig } from '../../scripts/lib/local-stack-config.ts';
import { startFerretDb, type FerretDbServer } from '../../scripts/servers/ferretdb.ts';
import { getTimeline } from '../../store/barrier-queries.ts';
import { reconcileBarriers } from '../../scripts/lib/reconcile.ts';
import { startRoutedBarrier, testBarrierId } from '../support/barriers.ts';
import { localityLead } from '../support/people.ts';
import { ackSecondsPolicy } from '../support/policies.ts';
import { sharedPostgres, until } from '../support/processes.ts';
import { openTestStack, type TestStack } from '../support/stack.ts';
import { barrierWorkflowId } from '../../workflows/barrier/definitions.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gt-db-down-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const policy = ackSecondsPolicy('test-db-down', { neighbourhood: 4, locality: 4 });

describe('the database down for a while', () => {
  it('keeps the climbs going and converges the read model afterwards', async () => {
    const { cacheDir } = loadLocalStackConfig({});
    let ferret: FerretDbServer = await startFerretDb({
      cacheDir,
      dataDir,
      postgresqlUrl: sharedPostgres(),
    });
    const port = Number(new URL(ferret.uri).port);
    cleanups.push(() => ferret.process.stop());
    const stack: TestStack = await openTestStack('db-down', {
      mongodbBase: ferret.uri.replace(/\/[^/]*$/, '/'),
    });
    cleanups.push(() => stack.close());
    const { client, taskQueue, store } = stack;
    await stack.startWorker();

    const ids = Array.from({ length: 5 }, () => testBarrierId('D'));
    for (const id of ids)
      await startRoutedBarrier(client, taskQueue, {
        id,
        policy,
        raisedBy: localityLead('wigan').sub,
      });

    // Killed outright, as an outage looks, and kept away while the first deadlines fall due.
    await ferret.process.crash();
    await sleep(10_000);
    // The workflows still answer with their state; the deadlines that passed
    // wait, with their projection, for the database (routing reads the directory).
    const during = await Promise.all(
      ids.map((id) =>
        client.workflow
          .getHandle(barrierWorkflowId(id))
          .query<{ stage: string; sla: { acknowledgeDueAt: number } }>('barrierState'),
      ),
    );
    for (const v of during) {
      expect(['neighbourhood', 'locality', 'gmca']).toContain(v.stage);
      expect(v.sla.acknowledgeDueAt).toBeLessThan(Date.now());
    }
    const backAt = Date.now();
    ferret = await startFerretDb({ cacheDir, dataDir, port, postgresqlUrl: sharedPostgres() });

    // Retries back off (up to a minute between attempts): allow for a loaded machine.
    // The test's own connection is reconnecting too, so a failed read is one
    // more reason to look again, not a verdict.
    let last: unknown = 'nothing read yet';
    await until(
      'the read model to converge',
      async () => {
        try {
          const differences = await reconcileBarriers(client, store.models, ids);
          const atGmca = await store.models.Barrier.countDocuments({
            _id: { $in: ids },
            stage: 'gmca',
          });
          last = { differences, atGmca };
          return differences.length === 0 && atGmca === ids.length;
        } catch (err) {
          last = String(err);
          return false;
        }
      },
      240_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}; last look: ${JSON.stringify(last)}`);
    });
    expect(await reconcileBarriers(client, store.models, ids)).toEqual([]);
    // Nothing was lost to the outage: each barrier breached at its neighbourhood
    // deadline, while the database was away, and climbed from there.
    for (const id of ids) {
      const doc = await store.models.Barrier.findById(id).lean();
      const timeline = await getTimeline(store.models, doc!);
      const breaches = timeline.filter((e) => e.type === 'breached');
      expect(breaches.map((e) => e.stage)).toEqual(['neighbourhood', 'locality']);
      expect(breaches[0]!.at.getTime()).toBeLessThan(backAt);
      expect(breaches[0]!.at.getTime()).toBe((breaches[0]!.details as { dueAt: number }).dueAt);
      expect(timeline.filter((e) => e.type === 'escalated')).toHaveLength(2);
    }
  }, 300_000);
});
