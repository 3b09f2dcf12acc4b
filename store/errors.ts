/** What the database's errors mean to the code that writes. */

/** True for MongoDB's duplicate-key error (a unique index said no). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 11000;
}

/**
 * Inserts `doc`; false when a document with its `_id` is already there (a
 * unique `_id` is the one write both MongoDB and FerretDB make atomic).
 */
export async function insertUnlessThere(
  collection: { insertOne(doc: object): Promise<unknown> },
  doc: object,
): Promise<boolean> {
  try {
    await collection.insertOne(doc);
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return false;
  }
}
