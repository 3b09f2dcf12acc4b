/**
 * `npm run histories:record`: runs barrierWorkflow through representative
 * scenarios on a throwaway local stack and writes their event histories to
 * test/history-files/, which the replay test runs against the current code.
 *
 * Record new histories when the workflow gains behaviour; never re-record old
 * ones to make a replay failure go away (that failure means running workflows
 * would break: guard the change with patched()).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../temporal.config.ts';
import { parsePolicy } from '../domain/policy/policy.ts';
import type { Actor, BarrierCommand } from '../domain/barrier/barrier-machine.ts';
import { actOnBarrier, barrierWorkflowId, startBarrier } from '../workflows/barrier/lifecycle.ts';
import { openStore } from '../store/store.ts';
import { seedDirectory } from '../store/seed/seed-directory.ts';
import { buildSeedDirectory } from '../store/seed/directory-data.ts';
import { createConsoleTransport } from '../notify/create-transport.ts';
import { createWorker } from '../worker/create-worker.ts';
import { startFerretDb } from './servers/ferretdb.ts';
import { ensureTemporalCli, startTemporalDevServer } from './servers/temporal-cli.ts';
import { runMain } from './lib/main.ts';
import { progress } from './servers/process.ts';

const OUT = new URL('../test/history-files/', import.meta.url);

const policy = (reopen: string) =>
  parsePolicy({
    id: 'replay',
    version: 1,
    name: 'replay recording',
    calendar: '24x7',
    reopenWindow: reopen,
    stages: Object.fromEntries(
      ['neighbourhood', 'locality', 'gmca', 'whitehall'].map((s) => [
        s,
        { acknowledge: 'PT2S', resolve: 'PT4S' },
      ]),
    ),
  });

await runMain('histories:record', async () => {
  const { cacheDir } = loadConfig({});
  const dataDir = mkdtempSync(join(tmpdir(), 'gt-record-'));
  const [temporal, ferret] = await Promise.all([
    startTemporalDevServer({ cacheDir, dataDir }),
    startFerretDb({ cacheDir, dataDir }),
  ]);
  try {
    const store = await openStore(ferret.uri);
    await seedDirectory(store.models);
    const native = await NativeConnection.connect({ address: temporal.address });
    const taskQueue = 'record';
    const worker = await createWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      deps: {
        models: store.models,
        email: { transport: createConsoleTransport(), publicBaseUrl: 'http://localhost:3000' },
      },
    });
    const running = worker.run();
    const client = new Client({
      connection: await Connection.connect({ address: temporal.address }),
    });
    const dir = buildSeedDirectory();
    const wigan = dir.localities.find((l) => l._id === 'wigan')!;
    const lead: Actor = { email: wigan.leads[0]!, role: 'locality-lead', locality: 'wigan' };
    const triage: Actor = {
      email: dir.people.find((p) => p.roles.includes('gmca-triage'))!.email,
      role: 'gmca-triage',
    };
    const details = {
      title: 'Recorded',
      description: 'For replay tests.',
      locality: 'wigan' as const,
      neighbourhood: 'leigh',
      category: 'funding' as const,
      evidence: [],
    };

    const scenarios: Record<string, () => Promise<string>> = {
      // Nobody acts: it climbs to gmca on timers, then GMCA resolves it and the reopen window runs out.
      'barrier-climb': async () => {
        const id = 'GT-9001';
        await startBarrier(client, taskQueue, {
          version: 1,
          id,
          reference: id,
          details,
          raisedBy: lead.email,
          policy: policy('PT2S'),
        });
        await sleep(10_000);
        await actOnBarrier(
          client,
          id,
          { type: 'resolve', resolution: 'Resolved at GM level.' },
          triage,
        );
        return id;
      },
      // Every action once, ending withdrawn with the reopen window running out.
      'barrier-actions': async () => {
        const id = 'GT-9002';
        await startBarrier(client, taskQueue, {
          version: 1,
          id,
          reference: id,
          details,
          raisedBy: lead.email,
          policy: policy('PT3S'),
        });
        const steps: BarrierCommand[] = [
          { type: 'acknowledge' },
          { type: 'comment', text: 'Looking into it.' },
          { type: 'request-info', reason: 'awaiting-information', question: 'Which service?' },
          { type: 'provide-info', response: 'Adult social care.' },
          { type: 'reassign', to: { email: wigan.neighbourhoods[0]!.deputy, name: 'Deputy' } },
          { type: 'escalate', reason: 'Needs the locality.' },
          { type: 'resolve', resolution: 'Done.' },
          { type: 'reopen', reason: 'Not done.' },
          { type: 'migrate-policy', policy: { ...policy('PT3S'), version: 2 } },
          { type: 'withdraw', reason: 'Duplicate.' },
        ];
        for (const command of steps)
          await actOnBarrier(
            client,
            id,
            command,
            command.type === 'migrate-policy'
              ? { email: 'admin@example.org', role: 'admin' }
              : lead,
          );
        return id;
      },
    };
    for (const [name, run] of Object.entries(scenarios)) {
      progress(`recording ${name}`);
      const id = await run();
      const handle = client.workflow.getHandle(barrierWorkflowId(id));
      await handle.result();
      // The CLI writes the proto3 JSON form that historyFromJSON reads.
      const json = execFileSync(
        await ensureTemporalCli(cacheDir),
        [
          'workflow',
          'show',
          '--address',
          temporal.address,
          '--workflow-id',
          handle.workflowId,
          '--output',
          'json',
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      ).toString();
      writeFileSync(
        new URL(`${name}.json`, OUT),
        `${JSON.stringify({ workflowId: handle.workflowId, recordedAt: new Date().toISOString(), history: JSON.parse(json) as unknown }, null, 1)}\n`,
      );
    }
    worker.shutdown();
    await running;
    await native.close();
    await client.connection.close();
    await store.close();
  } finally {
    await Promise.all([temporal.process.stop(), ferret.process.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
