/**
 * The store: one mongoose connection and its models, opened and closed
 * explicitly so every process and test owns its own.
 */
import mongoose from 'mongoose';
import { createModels, type Models } from './models.ts';
import { dialectOf } from './point-reads.ts';

export interface Store {
  conn: mongoose.Connection;
  models: Models;
  /** True when the database answers a ping within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** True for MongoDB's duplicate-key error (a unique index said no). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 11000;
}

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

/**
 * Allocates the next number of a named sequence (barrier references, asks).
 *
 * Each number is claimed by inserting `<name>:<n>` into a collection whose
 * `_id` is unique, so two callers can never get the same number; the counter
 * document only remembers where to start looking. (FerretDB 1.x does not make
 * a concurrent `findAndModify` with `$inc` atomic, so a plain counter repeats
 * numbers under load.)
 */
export async function nextSequence(models: Models, name: string): Promise<number> {
  const counter = await models.Counter.findById(name).lean();
  let candidate = ((counter as { value?: number } | null)?.value ?? 0) + 1;
  for (let attempt = 0; attempt < 10_000; attempt++, candidate++) {
    try {
      await models.SequenceClaim.create({ _id: `${name}:${candidate}` });
    } catch (err) {
      if (isDuplicateKey(err)) continue;
      throw err;
    }
    // Move the starting point on (never back); a racing first upsert may collide once.
    const advance = (upsert: boolean) =>
      models.Counter.updateOne({ _id: name }, { $max: { value: candidate } }, { upsert });
    await advance(true).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
      return advance(false);
    });
    return candidate;
  }
  throw new Error(`could not allocate a number in sequence ${name}`);
}
