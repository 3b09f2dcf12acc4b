/**
 * The Temporal server restarted (same SQLite file) while timers are pending:
 * every escalation still fires, late by no more than the downtime.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../temporal.config.ts';
import {
  startTemporalDevServer,
  type TemporalDevServer,
} from '../../scripts/servers/temporal-cli.ts';
import { createWorker } from '../../worker/create-worker.ts';
import { createConsoleTransport } from '../../notify/create-transport.ts';
import { startRoutedBarrier, testBarrierId } from '../support/barriers.ts';
import { localityLead } from '../support/people.ts';
import { ackSecondsPolicy } from '../support/policies.ts';
import { until } from '../support/processes.ts';
import {
  openTestStack,
  quietTemporalRuntime,
  TEST_BASE_URL,
  type TestStack,
} from '../support/stack.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gt-temporal-restart-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const policy = ackSecondsPolicy('test-restart', { neighbourhood: 12, locality: 3600 }, []);

describe('Temporal restarted with timers pending', () => {
  it('fires every escalation, late by no more than the downtime', async () => {
    quietTemporalRuntime();
    const { cacheDir } = loadConfig({ NODE_ENV: 'test' });
    let temporal: TemporalDevServer = await startTemporalDevServer({ cacheDir, dataDir });
    cleanups.push(() => temporal.process.stop());
    const port = Number(temporal.address.split(':')[1]);
    const uiPort = Number(new URL(temporal.uiUrl).port);
    const stack: TestStack = await openTestStack('temporal-restart');
    cleanups.push(() => stack.close());

    const taskQueue = `gt-restart-${Date.now()}`;
    const native = await NativeConnection.connect({ address: temporal.address });
    const worker: Worker = await createWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      deps: {
        models: stack.store.models,
        email: { transport: createConsoleTransport(), publicBaseUrl: TEST_BASE_URL },
      },
      workflowBundlePath: inject('workflowBundlePath'),
    });
    const running = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await native.close();
    });
    const connection = await Connection.connect({ address: temporal.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection });

    const ids = Array.from({ length: 5 }, () => testBarrierId('R'));
    for (const id of ids)
      await startRoutedBarrier(client, taskQueue, {
        id,
        policy,
        raisedBy: localityLead('wigan').sub,
      });

    // Down for 8 s around nothing in particular; the deadlines (12 s) fall after it or during it.
    await sleep(3_000);
    const downAt = Date.now();
    await temporal.process.stop();
    await sleep(8_000);
    temporal = await startTemporalDevServer({ cacheDir, dataDir, port, uiPort });
    const downtime = Date.now() - downAt;

    await until(
      'every escalation',
      async () =>
        (await stack.store.models.Barrier.countDocuments({
          _id: { $in: ids },
          stage: 'locality',
        })) === ids.length,
      90_000,
    );
    const events = await stack.store.models.TimelineEvent.find({
      barrierId: { $in: ids },
      type: { $in: ['breached', 'escalated'] },
    }).lean();
    for (const id of ids) {
      const due = events.find((e) => e.barrierId === id && e.type === 'breached')!.at.getTime();
      const fired = events.find((e) => e.barrierId === id && e.type === 'escalated')!.at.getTime();
      expect(fired - due).toBeLessThanOrEqual(downtime + 5_000);
    }
  }, 150_000);
});
