/**
 * Importing a barrier log through the API, with real processes: a file with
 * problems is refused by row and column and changes nothing; a clean one is
 * checked, then started, and survives its worker being SIGKILLed and the API
 * restarted midway; every row becomes one barrier (closed rows closed, without
 * emails); importing the same file, or an overlapping one, creates only what
 * is new.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { stackTest } from '../support/fixtures.ts';
import { admin, localityLead, neighbourhoodLead } from '../support/people.ts';
import { runScript, until, type RunningScript } from '../support/processes.ts';
import { TEST_BASE_URL } from '../support/stack.ts';

const it = stackTest('import', { worker: false });

const HEADER =
  'Title,Description,Locality,Neighbourhood,Category,Focus area,People affected,Raised on,Status,Resolution,Owner email,Raised by';
const wiganLead = localityLead('wigan').sub;
const leighLead = neighbourhoodLead('wigan', 'leigh').sub;

/** Row i of a Wigan log: every tenth resolved, raised by the Wigan lead; row 3 owned by Leigh's lead. */
const row = (i: number) => {
  const closed = i % 10 === 0;
  return [
    `"Barrier number ${i}, from the old log"`,
    `"Described ""in full"", with a comma"`,
    'Wigan',
    i % 2 ? 'Leigh' : 'wigan-central',
    'Data sharing',
    '',
    String(i),
    `${String((i % 28) + 1).padStart(2, '0')}/03/2026`,
    closed ? 'Resolved' : '',
    closed ? 'Sorted at the board' : '',
    i === 3 ? leighLead : '',
    closed ? wiganLead : '',
  ].join(',');
};
const file = (from: number, to: number) =>
  [HEADER, ...Array.from({ length: to - from }, (_, k) => row(from + k))].join('\r\n');

const post = (api: TestApi, token: string, csv: string, filename = 'wigan-log.csv') =>
  api.call('POST', `/api/v1/imports?filename=${filename}`, {
    token,
    raw: csv,
    headers: { 'content-type': 'text/csv' },
  });

let worker: RunningScript | undefined;
let extraApi: TestApi | undefined;
afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await extraApi?.close();
});

describe('importing a barrier log', () => {
  it('refuses a file with problems by row and column and stores nothing', async ({
    api,
    stack,
  }) => {
    const token = await api.token(admin());
    const bad = [
      HEADER,
      row(1),
      row(2).replace('Leigh', 'Atlantis').replace('wigan-central', 'atlantis'),
      'x,,Wigan,Leigh,Data sharing,,,31/02/2026,,,,',
    ].join('\n');
    const res = await post(api, token, bad);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual([
      { field: 'rows[3].Neighbourhood', reason: 'atlantis is not a neighbourhood of wigan' },
      { field: 'rows[4].Description', reason: 'must not be empty' },
      {
        field: 'rows[4].Raised on',
        reason: '31/02/2026 is not a date such as 2026-03-14 or 14/03/2026',
      },
    ]);
    expect(await stack.store.models.Import.countDocuments()).toBe(0);
    expect(await stack.store.models.ImportRow.countDocuments()).toBe(0);

    // Not JSON and not CSV: the usual 415; a lead of another locality is refused by row.
    expect(
      (
        await api.call('POST', '/api/v1/imports', {
          token,
          raw: 'a',
          headers: { 'content-type': 'text/plain' },
        })
      ).status,
    ).toBe(415);
    const bolton = await post(api, await api.token(localityLead('bolton')), file(1, 3));
    expect(bolton.status).toBe(400);
    expect(bolton.body.errors[0]).toEqual({
      field: 'rows[2].Locality',
      reason: 'you may import barriers in bolton only',
    });
    // Neighbourhood leads do not import.
    expect(
      (await post(api, await api.token(neighbourhoodLead('wigan', 'leigh')), file(1, 3))).status,
    ).toBe(403);
  });

  it('imports every row once across a worker kill and an API restart, and again creates nothing', async ({
    api,
    stack,
  }) => {
    const env = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      MONGODB_URI: stack.mongodbUri,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      SMTP_URL: stack.mailbox.url,
      PUBLIC_BASE_URL: TEST_BASE_URL,
    };
    worker = runScript('worker/main.ts', env);
    await until(
      'the worker process',
      () => worker!.output().includes('polling task queue'),
      120_000,
    );

    const rows = 300;
    const token = await api.token(admin());
    const template = await api.call('GET', '/api/v1/imports/template', { token });
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toContain('text/csv');

    const checked = await post(api, token, file(1, rows + 1));
    expect(checked.status).toBe(201);
    expect(checked.body).toMatchObject({
      status: 'checked',
      rows,
      alreadyImported: 0,
      progress: { done: 0 },
    });
    const id = checked.body.id as string;
    expect(await stack.store.models.Barrier.countDocuments()).toBe(0);

    const started = await api.call('POST', `/api/v1/imports/${id}/start`, { token });
    expect(started.status).toBe(202);
    // Starting twice is one import.
    expect((await api.call('POST', `/api/v1/imports/${id}/start`, { token })).status).toBe(202);

    // Midway: the worker dies without warning and the API restarts.
    await until(
      'the import midway',
      async () => {
        const doc = await stack.store.models.Import.findById(id).lean();
        return (doc?.done ?? 0) >= 50;
      },
      120_000,
    );
    worker.child.kill('SIGKILL');
    await worker.exited;
    const atKill = (await stack.store.models.Import.findById(id).lean())!;
    expect(atKill.status).toBe('importing');
    expect(atKill.done).toBeLessThan(rows);
    await api.close();
    extraApi = await startTestApi(stack);
    worker = runScript('worker/main.ts', env);

    await until(
      'the import done',
      async () => {
        const res = await extraApi!.call('GET', `/api/v1/imports/${id}`, {
          token: await extraApi!.token(admin()),
        });
        return res.body.status === 'done';
      },
      180_000,
    );
    const done = await extraApi.call('GET', `/api/v1/imports/${id}`, {
      token: await extraApi.token(admin()),
    });
    expect(done.body.progress).toEqual({ done: rows, created: rows, skipped: 0 });

    // One barrier per row, with its old date, its clocks from now, the import on its timeline.
    const { models } = stack.store;
    await until(
      'every barrier projected',
      async () => (await models.Barrier.countDocuments()) === rows,
      60_000,
    );
    const barriers = await models.Barrier.find().lean();
    expect(new Set(barriers.map((b) => b.title)).size).toBe(rows);
    const b3 = barriers.find((b) => b.title === 'Barrier number 3, from the old log')!;
    expect(b3.raisedAt.toISOString()).toBe('2026-03-04T00:00:00.000Z');
    expect(b3.owner).toMatchObject({ email: leighLead, reason: 'imported' });
    expect(b3.sla.breached).toBe(false);
    expect(b3.sla.acknowledgeDueAt!.getTime()).toBeGreaterThan(Date.now());
    const timeline = await models.TimelineEvent.find({ barrierId: b3._id }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => e.type)).toEqual(['raised', 'imported', 'routed']);
    expect(timeline[1]!.details).toMatchObject({ source: 'wigan-log.csv', row: 4, importId: id });

    const closed = barriers.filter((b) => b.status === 'resolved');
    expect(closed).toHaveLength(rows / 10);
    for (const b of closed) {
      expect(b.resolution).toBe('Sorted at the board');
      expect(b.raisedBy).toBe(wiganLead);
      expect(b.owner).toBeNull();
    }
    // Open rows were routed (their owners are told); nobody hears of the closed ones.
    await sleep(2_000);
    const closedIds = new Set(closed.map((b) => b._id));
    const aboutClosed = stack.mailbox.messages().filter((m) => closedIds.has(m.key.split(':')[0]!));
    expect(aboutClosed).toEqual([]);
    expect(await models.EmailLog.countDocuments({ barrierId: { $in: [...closedIds] } })).toBe(0);

    // The same file again: checked as already imported, and creates nothing.
    const api2 = extraApi;
    const again = await post(api2, token, file(1, rows + 1));
    expect(again.body).toMatchObject({ rows, alreadyImported: rows });
    await api2.call('POST', `/api/v1/imports/${again.body.id as string}/start`, { token });
    // An overlapping file: the last 20 rows again, and 10 new ones.
    const overlap = await post(api2, token, file(rows - 19, rows + 11));
    expect(overlap.body).toMatchObject({ rows: 30, alreadyImported: 20 });
    await api2.call('POST', `/api/v1/imports/${overlap.body.id as string}/start`, { token });
    for (const [imp, created, skipped] of [
      [again.body.id, 0, rows],
      [overlap.body.id, 10, 20],
    ] as const) {
      await until(
        `import ${imp as string} done`,
        async () => (await models.Import.findById(imp).lean())?.status === 'done',
        60_000,
      );
      expect(await models.Import.findById(imp).lean()).toMatchObject({ created, skipped });
    }
    expect(await models.Barrier.countDocuments()).toBe(rows + 10);
  }, 420_000);
});
