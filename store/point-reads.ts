/**
 * Reads by primary key, and what the database server can push down.
 *
 * FerretDB 1.x on SQLite (our local database) hands exactly one filter shape to
 * SQLite: `{_id: <string>}`. Every other filter, `{_id: {$in: […]}}` included,
 * reads and decodes the whole collection in Go, so its cost grows with the
 * collection rather than with the answer (the benchmark found the timeline
 * read behind every API response costing more as the store filled). Hot paths
 * that know the keys they want read them here, one `_id` at a time and in
 * parallel: served by the primary key on MongoDB.
 *
 * On FerretDB 1.24.2 even `{_id}` still scans, only in SQLite rather than Go:
 * its `_id` index is on `_ferretdb_sjson->"_id"` while its query says
 * `_ferretdb_sjson->'$._id'`, which SQLite does not match to the index
 * (EXPLAIN QUERY PLAN: SCAN). Measured here with 10,000 barriers of 2 KB: a
 * read by key 22 ms on average (it stops at the match), a missing key 42 ms,
 * and an update scans all of them under the write lock. Far less than a
 * filter decoded in Go, but it still grows with the collection.
 *
 * Its PostgreSQL backend scans too: it pushes `{_id: x}` down as
 * `_jsonb->'_id' @> x`, which its btree `_id` index cannot serve (a sequential
 * scan, 0.7 s a read with 100,000 barriers). The benchmark adds a GIN index on
 * that expression (scripts/servers/postgres.ts), which can.
 */
import type { Connection, Model } from 'mongoose';

/** How many point reads one call keeps in flight (more wait for a pooled connection). */
const IN_FLIGHT = 16;

/** `each(item)` for every item (an id, or what is written by one), IN_FLIGHT at a time, answers in the order asked. */
async function byIds<T, R>(items: readonly T[], each: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += IN_FLIGHT)
    out.push(...(await Promise.all(items.slice(start, start + IN_FLIGHT).map((x) => each(x)))));
  return out;
}

/** The documents with these ids, in the order asked, skipping any that do not exist. */
export async function findByIds<T>(
  model: Model<T>,
  ids: readonly string[],
  projection?: Record<string, 0 | 1>,
): Promise<T[]> {
  const docs = await byIds(ids, (id) =>
    model
      .findOne({ _id: id } as object, projection)
      .lean<T>()
      .exec(),
  );
  return docs.filter((d): d is NonNullable<typeof d> => Boolean(d));
}

/** Sets `fields` on each document with these ids, one `_id` at a time (the write FerretDB pushes down). */
export async function setByIds(
  model: { updateOne(filter: object, update: object): { exec(): Promise<unknown> } },
  ids: readonly string[],
  fields: Record<string, unknown>,
): Promise<void> {
  await byIds(ids, (id) => model.updateOne({ _id: id }, { $set: fields }).exec());
}

/** Sets each document's own `fields`, one `_id` at a time. */
export async function setEachById(
  model: { updateOne(filter: object, update: object): { exec(): Promise<unknown> } },
  updates: readonly { id: string; fields: Record<string, unknown> }[],
): Promise<void> {
  await byIds(updates, ({ id, fields }) => model.updateOne({ _id: id }, { $set: fields }).exec());
}

/** The database server behind a connection, as far as query planning goes. */
export type Dialect = 'mongodb' | 'ferretdb';

const dialects = new WeakMap<Connection, Promise<Dialect>>();

/** Asks the server once per connection (`buildInfo` names FerretDB when it is FerretDB). */
export function dialectOf(conn: Connection): Promise<Dialect> {
  let known = dialects.get(conn);
  if (!known) {
    known = (async () => {
      const db = conn.db;
      if (!db) throw new Error('the database connection is not open');
      const info = await db.admin().command({ buildInfo: 1 });
      return 'ferretdbVersion' in info ? 'ferretdb' : 'mongodb';
    })();
    // A failed probe (the database was away) is asked again next time.
    known.catch(() => dialects.delete(conn));
    dialects.set(conn, known);
  }
  return known;
}
