/**
 * The store: one mongoose connection and its models, opened and closed
 * explicitly so every process and test owns its own.
 */
import mongoose from 'mongoose';
import { createModels, type Models } from './models.ts';
import { dialectOf } from './point-reads.ts';
import { isDuplicateKey } from './errors.ts';
import { beginRollups } from './dashboard-rollups.ts';
import { beginStamp } from './read-cache.ts';

export interface Store {
  conn: mongoose.Connection;
  models: Models;
  /** True when the database answers a ping within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export { isDuplicateKey } from './errors.ts';

/**
 * Connections each process keeps to FerretDB unless the URI sets `maxPoolSize`.
 *
 * FerretDB on SQLite has one writer; concurrent writes wait in SQLite's busy
 * loop (sleeping 1, 2, 5 … 100 ms between tries) and, past ten seconds, fail
 * with SQLITE_BUSY. With the driver's default pool of 100 the benchmark's
 * 10,000 run had the worker's writes failing that way and retrying, and the
 * database spending its time on the retries. A few connections queue the
 * writes in the process instead (measured here: 10 concurrent writers on one
 * connection p99 23 ms, on a hundred p99 337 ms, and fewer operations a second).
 */
export const FERRETDB_POOL_SIZE = 4;

/** Connects, creates indexes, and returns the store. */
export async function openStore(
  uri: string,
  options: { serverSelectionTimeoutMS?: number } = {},
): Promise<Store> {
  const connect = async (maxPoolSize?: number) => {
    const c = mongoose.createConnection(uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
      // FerretDB 1.x does not implement retryable writes.
      retryWrites: false,
      autoIndex: false,
      autoCreate: false,
      ...(maxPoolSize ? { maxPoolSize } : {}),
    });
    await c.asPromise();
    return c;
  };
  let conn = await connect();
  if (!/[?&]maxPoolSize=/i.test(uri) && (await dialectOf(conn)) === 'ferretdb') {
    await conn.close();
    conn = await connect(FERRETDB_POOL_SIZE);
  }
  const models = createModels(conn);
  await Promise.all(Object.values(models).map((m) => m.createIndexes()));
  await beginRollups(models);
  await beginStamp(models, 'asks');
  return {
    conn,
    models,
    async ping(timeoutMs = 2_000) {
      const db = conn.db;
      if (!db) return false;
      // The driver waits serverSelectionTimeoutMS for a dead server; a probe must not.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const ping = db
        .admin()
        .command({ ping: 1 })
        .then(() => true)
        .catch(() => false);
      const ok = await Promise.race([ping, timeout]);
      clearTimeout(timer);
      return ok;
    },
    async close() {
      await conn.close();
    },
  };
}

/** Each process's next number to try in each sequence, so a claim needs no read first. */
const nextToTry = new WeakMap<Models['Counter'], Map<string, number>>();

/**
 * The counter is moved on when a claimed number is a multiple of this: a
 * process starting from it walks past at most this many claimed numbers once.
 */
const COUNTER_STRIDE = 10;

/**
 * Allocates the next number of a named sequence (barrier references, asks).
 *
 * Each number is claimed by inserting `<name>:<n>` into a collection whose
 * `_id` is unique, so two callers can never get the same number. (FerretDB 1.x
 * does not make a concurrent `findAndModify` with `$inc` atomic, so a plain
 * counter repeats numbers under load.) The counter document only says where to
 * start looking: a process reads it once, then tries the number after its own
 * last claim, and reads it again only when that number turns out to be taken
 * (another process is allocating too). So an uncontended allocation is one
 * insert, and the counter is written every COUNTER_STRIDE numbers.
 */
export async function nextSequence(models: Models, name: string): Promise<number> {
  let tries = nextToTry.get(models.Counter);
  if (!tries) nextToTry.set(models.Counter, (tries = new Map<string, number>()));
  const fromCounter = async () => {
    const counter = await models.Counter.findById(name).lean();
    return ((counter as { value?: number } | null)?.value ?? 0) + 1;
  };
  let candidate = tries.get(name) ?? (await fromCounter());
  for (let attempt = 0; attempt < 10_000; attempt++) {
    // Reserved in this process before the insert, so concurrent callers here try different numbers.
    candidate = Math.max(candidate, tries.get(name) ?? 0);
    tries.set(name, candidate + 1);
    try {
      await models.SequenceClaim.create({ _id: `${name}:${candidate}` });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Taken by another process: look where the counter says, never back.
      candidate = Math.max(candidate + 1, await fromCounter());
      continue;
    }
    if (candidate % COUNTER_STRIDE === 0 || attempt > 0) {
      // Move the starting point on (never back); a racing first upsert may collide once.
      const advance = (upsert: boolean) =>
        models.Counter.updateOne({ _id: name }, { $max: { value: candidate } }, { upsert });
      await advance(true).catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err;
        return advance(false);
      });
    }
    return candidate;
  }
  throw new Error(`could not allocate a number in sequence ${name}`);
}

/** The next reference of a sequence: `<prefix>-0001` onwards. */
export async function allocateReference(
  models: Models,
  sequence: 'barrier' | 'ask' | 'import',
  prefix: 'GT' | 'ASK' | 'IMP',
): Promise<string> {
  return `${prefix}-${String(await nextSequence(models, sequence)).padStart(4, '0')}`;
}

/** The next barrier reference, GT-0001 onwards. */
export const allocateBarrierId = (models: Models) => allocateReference(models, 'barrier', 'GT');
