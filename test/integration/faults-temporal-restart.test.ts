/**
 * The Temporal server restarted (same SQLite file) while timers are pending:
 * every escalation still fires, late by no more than the downtime.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLocalStackConfig } from '../../scripts/lib/local-stack-config.ts';
import {
  startTemporalDevServer,
  type TemporalDevServer,
} from '../../scripts/servers/temporal-cli.ts';
import { startRoutedBarrier, testBarrierId } from '../support/barriers.ts';
import { localityLead } from '../support/people.ts';
import { ackSecondsPolicy } from '../support/policies.ts';
import { until } from '../support/processes.ts';
import { openTestStack, type TestStack } from '../support/stack.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gt-temporal-restart-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const policy = ackSecondsPolicy('test-restart', { neighbourhood: 12, locality: 3600 }, []);

describe('Temporal restarted with timers pending', () => {
  it('fires every escalation, late by no more than the downtime', async () => {
    const { cacheDir } = loadLocalStackConfig({});
    let temporal: TemporalDevServer = await startTemporalDevServer({ cacheDir, dataDir });
    cleanups.push(() => temporal.process.stop());
    const port = Number(temporal.address.split(':')[1]);
    const uiPort = Number(new URL(temporal.uiUrl).port);
    const stack: TestStack = await openTestStack('temporal-restart', {
      temporalAddress: temporal.address,
    });
    cleanups.push(() => stack.close());
    const { client, taskQueue } = stack;
    await stack.startWorker();

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
