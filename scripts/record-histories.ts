/**
 * `npm run histories:record`: runs barrierWorkflow through representative
 * scenarios on a throwaway local stack and writes their event histories to
 * test/history-files/, which the replay test runs against the current code.
 *
 * Only scenarios whose files are missing are run: record new histories when
 * a workflow gains behaviour (add a scenario with a new name); never re-record
 * old ones to make a replay failure go away (that failure means running
 * workflows would break: guard the change with patched()).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { NativeConnection } from '@temporalio/worker';
import { loadLocalStackConfig } from './lib/local-stack-config.ts';
import { parsePolicy } from '../domain/policy/policy.ts';
import type { Actor, BarrierCommand } from '../domain/barrier/types.ts';
import { actOnBarrier, barrierWorkflowId, startBarrier } from '../workflows/barrier/lifecycle.ts';
import { emailsRejectedSignal } from '../workflows/barrier/definitions.ts';
import { routeOwner } from '../store/routing.ts';
import { openStore } from '../store/store.ts';
import { seedDirectory } from '../store/seed/seed-directory.ts';
import { buildSeedDirectory } from '../store/seed/directory-data.ts';
import { createConsoleTransport } from '../notify/create-transport.ts';
import { actOnAsk, askWorkflowId, startAsk } from '../workflows/ask/lifecycle.ts';
import { createWorker } from '../worker/create-worker.ts';
import { importWorkflow, importWorkflowId } from '../workflows/import/import-workflow.ts';
import { startFerretDb } from './servers/ferretdb.ts';
import { ensureTemporalCli, startTemporalDevServer } from './servers/temporal-cli.ts';
import { runScript } from './lib/run-script.ts';
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

await runScript('histories:record', async () => {
  const { cacheDir } = loadLocalStackConfig({});
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

    const start = (id: string, reopen: string) =>
      startBarrier(client, taskQueue, {
        version: 1,
        id,
        reference: id,
        details,
        raisedBy: lead.email,
        policy: policy(reopen),
      });

    /** Each scenario returns the workflow ids to record, one file each (`<name>.json`, `<name>-2.json`, …). */
    const scenarios: Record<string, () => Promise<string[]>> = {
      // Nobody acts: it climbs to gmca on timers, then GMCA resolves it and the reopen window runs out.
      'barrier-climb': async () => {
        const id = 'GT-9001';
        await start(id, 'PT2S');
        await sleep(10_000);
        await actOnBarrier(
          client,
          id,
          { type: 'resolve', resolution: 'Resolved at GM level.' },
          triage,
        );
        return [barrierWorkflowId(id)];
      },
      // Every action once, ending withdrawn with the reopen window running out.
      'barrier-actions': async () => {
        const id = 'GT-9002';
        await start(id, 'PT3S');
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
        return [barrierWorkflowId(id)];
      },
      // With emails: the climb again, on the code that sends them (notifications patch).
      'barrier-climb-emails-v1': async () => {
        const id = 'GT-9003';
        await start(id, 'PT2S');
        await sleep(10_000);
        await actOnBarrier(client, id, { type: 'resolve', resolution: 'Resolved.' }, triage);
        return [barrierWorkflowId(id)];
      },
      // Routing and projection as local activities (the local-store patch): the climb,
      // a comment on the way and GMCA resolving it.
      'barrier-local-store-v1': async () => {
        const id = 'GT-9006';
        await start(id, 'PT2S');
        await actOnBarrier(client, id, { type: 'comment', text: 'Looking into it.' }, lead);
        await sleep(10_000);
        await actOnBarrier(client, id, { type: 'resolve', resolution: 'Resolved.' }, triage);
        return [barrierWorkflowId(id)];
      },
      // Raised with update-with-start (the routed update in the first workflow task),
      // acknowledged, then withdrawn.
      'barrier-update-with-start-v1': async () => {
        const id = 'GT-9007';
        await start(id, 'PT3S');
        const leigh = wigan.neighbourhoods.find((n) => n.slug === details.neighbourhood)!;
        await actOnBarrier(
          client,
          id,
          { type: 'acknowledge' },
          {
            email: leigh.lead,
            role: 'neighbourhood-lead',
            locality: 'wigan',
            neighbourhood: leigh.slug,
          },
        );
        await actOnBarrier(client, id, { type: 'withdraw', reason: 'Raised in error.' }, lead);
        return [barrierWorkflowId(id)];
      },
      // Routed by the API at the raise (routed-at-raise patch), its emails queued by the
      // projection and sent by the worker's outbox (email-outbox patch): the climb, a
      // refused email reported back as the outbox does, and GMCA resolving it.
      'barrier-email-outbox-v1': async () => {
        const id = 'GT-9008';
        const owner = await routeOwner(store.models, {
          barrierId: id,
          locality: details.locality,
          neighbourhood: details.neighbourhood,
          category: details.category,
          stage: 'neighbourhood',
        });
        await startBarrier(client, taskQueue, {
          version: 1,
          id,
          reference: id,
          details,
          raisedBy: lead.email,
          policy: policy('PT2S'),
          owner,
        });
        await client.workflow
          .getHandle(barrierWorkflowId(id))
          .signal(emailsRejectedSignal, [
            { to: lead.email, kind: 'assigned', reason: '550 mailbox unavailable' },
          ]);
        await sleep(10_000);
        await actOnBarrier(client, id, { type: 'resolve', resolution: 'Resolved.' }, triage);
        return [barrierWorkflowId(id)];
      },
      // Triage: two barriers reach gmca, one is merged into the other, the survivor is
      // promoted into an ask that is submitted and agreed. Records the survivor and the ask.
      'barrier-triage-ask-v1': async () => {
        const [a, b] = ['GT-9004', 'GT-9005'];
        for (const id of [a, b]) await start(id, 'PT2S');
        await sleep(5_000);
        await actOnBarrier(client, b, { type: 'merge', into: a }, triage);
        await actOnBarrier(client, a, { type: 'link', with: b }, triage).catch(() => undefined);
        const askId = 'ASK-9001';
        await startAsk(client, taskQueue, {
          version: 1,
          id: askId,
          reference: askId,
          title: 'Recorded ask',
          department: 'dhsc',
          ask: 'For replay tests.',
          createdBy: triage.email,
          owner: { email: triage.email, name: 'GMCA' },
          barrierIds: [a],
          policy: policy('PT2S'),
        });
        await actOnBarrier(client, a, { type: 'promote', askId }, triage);
        await actOnAsk(client, askId, { type: 'submit' }, triage);
        await actOnAsk(client, askId, { type: 'chase', note: 'by hand' }, triage);
        await actOnAsk(
          client,
          askId,
          { type: 'record-response', outcome: 'agreed', response: 'Agreed.' },
          triage,
        );
        return [barrierWorkflowId(a), askWorkflowId(askId)];
      },
      // An import of three rows (open and routed, open with a named owner, already
      // resolved): the import workflow, then the barriers it started, the open ones resolved.
      'import-v1': async () => {
        const importId = 'IMP-9001';
        const admin = dir.people.find((p) => p.roles.includes('admin'))!.email;
        const leigh = wigan.neighbourhoods.find((n) => n.slug === details.neighbourhood)!;
        const rows = [
          { status: 'open', resolution: null, ownerEmail: null },
          { status: 'open', resolution: null, ownerEmail: leigh.lead },
          { status: 'resolved', resolution: 'Resolved before the import.', ownerEmail: null },
        ];
        await store.models.ImportRow.insertMany(
          rows.map((r, index) => ({
            _id: `${importId}:${index}`,
            importId,
            row: index + 2,
            key: `wigan|leigh|2026-03-0${index + 1}|recorded ${index}`,
            details: { ...details, title: `Recorded ${index}` },
            raisedOn: new Date(Date.UTC(2026, 2, index + 1)),
            raisedBy: null,
            ...r,
          })),
        );
        await store.models.Import.create({
          _id: importId,
          filename: 'recorded.csv',
          uploadedBy: admin,
          uploadedAt: new Date(),
          status: 'importing',
          rows: rows.length,
        });
        const handle = await client.workflow.start(importWorkflow, {
          taskQueue,
          workflowId: importWorkflowId(importId),
          args: [
            {
              importId,
              source: 'recorded.csv',
              by: admin,
              policy: policy('PT2S'),
              rows: rows.length,
            },
          ],
        });
        await handle.result();
        const claims = await store.models.ImportedBarrier.find().sort({ row: 1 }).lean();
        const ids = claims.map((c) => c.barrierId);
        for (const id of ids.slice(0, 2))
          await actOnBarrier(client, id, { type: 'resolve', resolution: 'Resolved.' }, triage);
        return [handle.workflowId, ...ids.map(barrierWorkflowId)];
      },
    };
    for (const [name, run] of Object.entries(scenarios)) {
      if (existsSync(new URL(`${name}.json`, OUT))) {
        progress(`${name}: recorded already, kept as it is`);
        continue;
      }
      progress(`recording ${name}`);
      const ids = await run();
      for (const [i, workflowId] of ids.entries()) {
        const file = i === 0 ? `${name}.json` : `${name}-${i + 1}.json`;
        const handle = client.workflow.getHandle(workflowId);
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
          new URL(file, OUT),
          `${JSON.stringify({ workflowId: handle.workflowId, recordedAt: new Date().toISOString(), history: JSON.parse(json) as unknown }, null, 1)}\n`,
        );
      }
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
