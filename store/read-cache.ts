/**
 * Reads served from memory until what they were read from changes.
 *
 * FerretDB 1.x, the embedded database, decodes every document a query matches
 * in Go (about 0.25 ms for a compact one, 0.4 ms for a barrier) and sorts and
 * limits after that: a list of one locality's barriers costs it 9 to 25 ms of
 * CPU however small the page (measured in bench/README.md). Ten readers on
 * two cores then wait hundreds of milliseconds. So lists, the dashboard's
 * figures, the triage queue and single barriers are kept in each API process,
 * stamped with the read model's version when they were read, and served again
 * while the version is unchanged.
 *
 * The version is a document (`read_stamps`, by `_id`) holding a random token
 * that the projection replaces after every write to barriers or their
 * timelines. Order makes it safe without transactions: a writer writes its
 * data, then a new token; a reader reads the token, then the data, and files
 * the data under that token. Data read under a token may be newer than the
 * token, never older than it, and every write is followed by a token no
 * reader has seen. So a reader never gets data older than the last write that
 * finished before its request began, in any API process: read-your-writes
 * holds across processes. On MongoDB it costs one read per request and saves
 * little; the code is the same.
 *
 * A second stamp, `directory`, covers the directory: the people (and service
 * clients) a request's identity is read from, the localities a barrier is
 * routed by and the SLA policies it is raised under. Every write through those
 * models stamps it by itself (model hooks, {@link stampWritesOf}), so an
 * admin's change or a revoked role takes effect on the very next request,
 * whoever wrote it. A third, `asks`, is replaced by the ask projection after
 * every write to an ask (the dashboard's asks by outcome are kept under it).
 *
 * A request reads the stamps once, in one query, the first time it needs one
 * ({@link withReadStamps}): identity and list then cost one read between them.
 * Read after the request began, the snapshot is as fresh as reading each stamp
 * when it is needed. Requests at once share that read when none of them asked
 * after it began ({@link sharedReadsBegunAfterAsking}): ten readers cost two
 * stamp reads, not ten. A request that writes keeps only the directory's stamp
 * from it (its barrier writes happen in the workflow, after the snapshot), and
 * drops even that once it writes to the directory itself.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Connection, Schema } from 'mongoose';
import { recordCacheLookup } from '../observability/metrics/metrics.ts';
import { isDuplicateKey } from './errors.ts';
import type { Models } from './models.ts';

/** The part of the stored data a cached read depends on. */
export type StampName = 'barriers' | 'directory' | 'asks';

/** How many reads a process keeps (least recently used dropped first). */
const MAX_ENTRIES = 2_000;

interface Entry {
  token: string;
  value: Promise<unknown>;
}

const caches = new WeakMap<Models, Map<string, Entry>>();

interface StampScope {
  models: Models;
  /** The stamps the snapshot answers for; others are read when asked. */
  names: readonly StampName[];
  tokens?: Promise<Map<string, string>> | undefined;
}

const scope = new AsyncLocalStorage<StampScope>();

/** Marks a part of the read model changed: call after the write, never before. */
export async function markChanged(
  models: Pick<Models, 'ReadStamp'>,
  name: StampName,
): Promise<void> {
  await models.ReadStamp.updateOne(
    { _id: name },
    { $set: { token: randomUUID(), at: new Date() } },
    { upsert: true },
  );
  // A request sees its own write: its snapshot of the stamps is read again.
  const within = scope.getStore();
  if (within) within.tokens = undefined;
}

/**
 * Writes stamp `name` unless it is there. A read made while a stamp is missing
 * is never kept (nothing would say when it went stale), so a store whose asks
 * were never written to would read them on every view: stores begin with the
 * stamps whose writers may not have written yet.
 */
export async function beginStamp(
  models: Pick<Models, 'ReadStamp'>,
  name: StampName,
): Promise<void> {
  try {
    await models.ReadStamp.updateOne(
      { _id: name },
      { $setOnInsert: { token: randomUUID(), at: new Date() } },
      { upsert: true },
    );
  } catch (err) {
    // Another process began it at the same moment.
    if (!isDuplicateKey(err)) throw err;
  }
}

/** The query and document operations that write, for {@link stampWritesOf}. */
const WRITES = [
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
] as const;

/**
 * Stamps `name` after every write through a model of `schema`, so no writer
 * can forget to (raw `collection` writes bypass it; none is made).
 */
export function stampWritesOf(schema: Schema, name: StampName): void {
  const stamp = (conn: Connection) =>
    markChanged({ ReadStamp: conn.models.ReadStamp as Models['ReadStamp'] }, name);
  schema.post([...WRITES], async function (this: { model: { db: Connection } }) {
    await stamp(this.model.db);
  });
  schema.post('save', async function (this: { db: Connection }) {
    await stamp(this.db);
  });
  schema.post('insertMany', async function (this: { db: Connection }) {
    await stamp(this.db);
  });
}

/** Every stamp: what a request that writes nothing may take from one snapshot. */
export const ALL_STAMPS: readonly StampName[] = ['barriers', 'directory', 'asks'];

/**
 * Runs `fn` reading the stamps at most once, when a cached read first asks,
 * and answering `names` from that snapshot. A request that writes barriers
 * must leave `barriers` out: it would not see its own change.
 */
export function withReadStamps<T>(
  models: Models,
  fn: () => T,
  names: readonly StampName[] = ALL_STAMPS,
): T {
  return scope.run({ models, names }, fn);
}

/** Every stamp's token, in one query. */
function readStamps(models: Models): Promise<Map<string, string>> {
  return models.ReadStamp.find({}, { token: 1 })
    .lean()
    .then((stamps) => new Map(stamps.map((s) => [s._id, s.token])));
}

/**
 * `read` shared by every caller that asked before it began. A caller that
 * asks while a read is under way waits for it to end and shares the next one:
 * joining the read under way could miss a write that finished after it began
 * but before the caller asked. Ten requests at once then cost two reads, not
 * ten, and each still sees every write finished before it asked.
 */
export function sharedReadsBegunAfterAsking<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let queued: Promise<T> | undefined;
  const begin = (): Promise<T> => {
    const current = read().finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  };
  const beginAfter = (under: Promise<T>): Promise<T> =>
    under
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        queued = undefined;
        return begin();
      });
  return () => (running ? (queued ??= beginAfter(running)) : begin());
}

const stampReads = new WeakMap<Models, () => Promise<Map<string, string>>>();

/** The stamps, read once for all the process's callers that asked before the read began. */
function sharedStampReads(models: Models): Promise<Map<string, string>> {
  let reads = stampReads.get(models);
  if (!reads)
    stampReads.set(models, (reads = sharedReadsBegunAfterAsking(() => readStamps(models))));
  return reads();
}

async function tokenOf(models: Models, name: StampName): Promise<string | undefined> {
  const within = scope.getStore();
  // Outside a snapshot's names: a read of its own, begun after asking (shared all the same).
  if (within?.models !== models || !within.names.includes(name))
    return (await sharedStampReads(models)).get(name);
  within.tokens ??= sharedStampReads(models);
  return (await within.tokens).get(name);
}

/**
 * `read()`'s answer for `key`, from memory when it was read under the current
 * token of `name`. Concurrent callers of one key share one read. The answer
 * is shared too: callers must not change it.
 */
export async function readThrough<T>(
  models: Models,
  name: StampName,
  key: string,
  read: () => PromiseLike<T>,
): Promise<T> {
  const token = await tokenOf(models, name);
  // Nothing has been written since the database was made: nothing to trust a token with.
  if (token === undefined) return read();
  let cache = caches.get(models);
  if (!cache) caches.set(models, (cache = new Map<string, Entry>()));
  const fullKey = `${name}\u0000${key}`;
  const hit = cache.get(fullKey);
  recordCacheLookup(name, hit?.token === token);
  if (hit && hit.token === token) {
    // Most recently used last: the first key is the one to drop.
    cache.delete(fullKey);
    cache.set(fullKey, hit);
    return hit.value as Promise<T>;
  }
  // A thenable (a mongoose query) runs once, however many callers await it.
  const entry: Entry = { token, value: Promise.resolve(read()) };
  cache.set(fullKey, entry);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  // A failed read is not kept: the next caller tries again.
  entry.value.catch(() => {
    if (cache.get(fullKey) === entry) cache.delete(fullKey);
  });
  return entry.value as Promise<T>;
}
