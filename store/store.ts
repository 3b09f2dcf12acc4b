/**
 * The store: one mongoose connection and its models, opened and closed
 * explicitly so every process and test owns its own.
 */
import mongoose from 'mongoose';
import { createModels, type Models } from './models.ts';

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

/** Connects, creates indexes, and returns the store. */
export async function openStore(
  uri: string,
  options: { serverSelectionTimeoutMS?: number } = {},
): Promise<Store> {
  const conn = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
    // FerretDB 1.x does not implement retryable writes.
    retryWrites: false,
    autoIndex: false,
    autoCreate: false,
  });
  await conn.asPromise();
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
