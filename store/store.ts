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

/** Allocates the next number of a named sequence (barrier references, asks). */
export async function nextSequence(models: Models, name: string): Promise<number> {
  const doc = await models.Counter.findOneAndUpdate(
    { _id: name },
    { $inc: { value: 1 } },
    { upsert: true, returnDocument: 'after', lean: true },
  );
  return (doc as { value: number }).value;
}
