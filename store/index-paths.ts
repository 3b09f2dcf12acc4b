/**
 * The fields the read model filters on, per collection: the first key of
 * each index the models declare (dates, which lead indexes for their order, aside). MongoDB serves these from the models'
 * indexes; FerretDB on PostgreSQL from GIN indexes its server makes on the
 * same fields (scripts/servers/postgres.ts), which is why they are listed here.
 */
import mongoose, { type Model } from 'mongoose';
import { createModels } from './models.ts';

export function indexPaths(): { collection: string; path: string }[] {
  const models = createModels(mongoose.createConnection());
  const out = new Map<string, { collection: string; path: string }>();
  for (const model of Object.values(models) as Model<unknown>[]) {
    const collection = model.collection.collectionName;
    for (const [fields] of model.schema.indexes()) {
      const path = Object.keys(fields)[0];
      // Equality filters only: a date leads an index for its order, which FerretDB sorts itself.
      if (!path || path === '_id' || model.schema.path(path)?.instance === 'Date') continue;
      out.set(`${collection}|${path}`, { collection, path });
    }
  }
  return [...out.values()];
}
