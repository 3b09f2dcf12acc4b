/**
 * Reads by key, and timelines: an ask's evidence is read one `_id` at a time
 * (FerretDB pushes no `$in` down), and timelines one query a subject on the
 * indexed `barrierId`; both must come back complete and in order, a timeline
 * bounded by its document's `lastSeq` and joined on a merge.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { getTimeline, readTimelines } from '../../store/barrier-queries.ts';
import { dialectOf, findByIds } from '../../store/point-reads.ts';
import { FERRETDB_POOL_SIZE, openStore, type Store } from '../../store/store.ts';
import { runSql } from '../../scripts/servers/postgres.ts';
import { stackTest } from '../support/fixtures.ts';
import { sharedPostgres, until } from '../support/processes.ts';
import type { TestStack } from '../support/stack.ts';

const it = stackTest('point-reads', { stack: { seed: false }, worker: false });
let stack: TestStack;
it.beforeAll(({ stack: s }) => {
  stack = s;
});
const event = (barrierId: string, seq: number, at: string, type = 'note') => ({
  _id: `${barrierId}:${seq}`,
  barrierId,
  seq,
  at: new Date(at),
  type,
  stage: 'neighbourhood',
  actor: 'someone@example.org',
  details: {},
});

describe('reads by key', () => {
  it('returns documents in the order asked and skips the missing, past one batch', async () => {
    const { Person } = stack.store.models;
    const ids = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, '0')}@example.org`);
    await Person.insertMany(ids.map((_id) => ({ _id, name: _id, roles: [] })));
    const asked = [...ids]
      .reverse()
      .flatMap((id, i) => (i === 5 ? [id, 'nobody@example.org'] : [id]));
    const found = await findByIds(Person, asked, { name: 1 });
    expect(found.map((p) => p._id)).toEqual([...ids].reverse());
    expect(found[0]).not.toHaveProperty('roles');
  });

  it('names the local server as FerretDB, whose updates need the by-key write', async () => {
    expect(await dialectOf(stack.store.conn)).toBe('ferretdb');
  });

  it('keeps a few connections to FerretDB, so its one writer is not fought over, unless the URI says', async () => {
    const poolOf = (store: Store) => store.conn.getClient().options.maxPoolSize;
    expect(poolOf(stack.store)).toBe(FERRETDB_POOL_SIZE);
    const named = await openStore(`${stack.mongodbUri}?maxPoolSize=7`);
    try {
      expect(poolOf(named)).toBe(7);
      // Many reads at once still all come back, queued for the few connections.
      const ids = Array.from({ length: 50 }, (_, i) => `nobody-${i}@example.org`);
      expect(await findByIds(stack.store.models.Person, ids)).toEqual([]);
    } finally {
      await named.close();
    }
  });

  it('reads a timeline up to the document, joining merged barriers by time', async () => {
    const { TimelineEvent } = stack.store.models;
    await TimelineEvent.insertMany([
      event('GT-8001', 1, '2026-11-23T09:00:00Z', 'raised'),
      event('GT-8001', 2, '2026-11-23T09:05:00Z', 'routed'),
      event('GT-8001', 3, '2026-11-23T11:00:00Z', 'merged'),
      event('GT-8002', 1, '2026-11-23T09:02:00Z', 'raised'),
      event('GT-8002', 2, '2026-11-23T10:00:00Z', 'routed'),
      // Written ahead of its document (the projection writes events first).
      event('GT-8002', 3, '2026-11-23T12:00:00Z', 'acknowledged'),
    ]);
    await stack.store.models.Barrier.collection.insertOne({ _id: 'GT-8001', lastSeq: 3 } as never);

    const own = await getTimeline(stack.store.models, { _id: 'GT-8002', lastSeq: 2 });
    expect(own.map((e) => `${e.barrierId}:${e.seq}:${e.type}`)).toEqual([
      'GT-8002:1:raised',
      'GT-8002:2:routed',
    ]);
    const joined = await getTimeline(stack.store.models, {
      _id: 'GT-8002',
      lastSeq: 3,
      mergedFrom: ['GT-8001'],
    });
    expect(joined.map((e) => `${e.barrierId}:${e.seq}`)).toEqual([
      'GT-8001:1',
      'GT-8002:1',
      'GT-8001:2',
      'GT-8002:2',
      'GT-8001:3',
      'GT-8002:3',
    ]);
    expect(await readTimelines(stack.store.models, [{ id: 'GT-8003', lastSeq: 4 }])).toEqual([]);
  });

  it('serves a filter from its index after the table has grown, however its reads were planned when small', async () => {
    const postgres = sharedPostgres();
    if (!postgres) return; // FerretDB on SQLite: no PostgreSQL planner to check.
    const { TimelineEvent } = stack.store.models;
    const subject = (i: number) => `GT-9${String(i).padStart(4, '0')}`;
    const events = (from: number, to: number) =>
      Array.from({ length: (to - from) * 4 }, (_, i) =>
        event(subject(from + Math.floor(i / 4)), (i % 4) + 1, '2026-11-23T09:00:00Z'),
      );
    // Twenty subjects, read more than five times: PostgreSQL may now keep a generic plan
    // for FerretDB's prepared `_jsonb->$1 @> $2`, in which no index matches the field.
    await TimelineEvent.insertMany(events(0, 20));
    for (let i = 0; i < 12; i++) await TimelineEvent.find({ barrierId: subject(i) }).lean();
    await TimelineEvent.insertMany(events(20, 3_000));
    const schema = stack.store.conn.db!.databaseName;
    const indexScans = () =>
      Number(
        runSql(
          postgres,
          `SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes
            WHERE schemaname = '${schema}' AND relname LIKE 'timeline\\_%' AND indexrelname LIKE '%\\_gt\\_%'`,
        ).trim(),
      );
    // PostgreSQL's sessions publish their counters within ten seconds of going idle.
    await sleep(11_000);
    const before = indexScans();
    for (let i = 0; i < 20; i++) {
      const read = await TimelineEvent.find({ barrierId: subject(i * 100) }).lean();
      expect(read).toHaveLength(4);
    }
    await until(
      'the reads to be counted as index scans',
      () => indexScans() >= before + 20,
      30_000,
    );
  }, 90_000);
});
