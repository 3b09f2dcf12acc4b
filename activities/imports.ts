/**
 * Import activities: claim a batch of an import's planned rows (one barrier id
 * each, at most once per row across every import) and record progress, so the
 * import's page shows it and a restart carries on where it stopped.
 */
import type { ImportedFrom } from '../domain/barrier/types.ts';
import type { RaiseBarrier } from '../domain/barrier/schemas.ts';
import type { Models } from '../store/models.ts';
import { findByIds } from '../store/point-reads.ts';
import { allocateBarrierId, isDuplicateKey } from '../store/store.ts';
import { recordImportProgress as recordImportRows } from '../observability/metrics/metrics.ts';

export interface ClaimImportBatchInput {
  importId: string;
  /** The importer: the raiser unless a row names one in the directory. */
  by: string;
  source: string;
  /** Planned rows [from, from + size) in file order. */
  from: number;
  size: number;
}

/** A row to start as a barrier workflow. */
export interface ClaimedRow {
  id: string;
  details: RaiseBarrier;
  raisedBy: string;
  imported: ImportedFrom;
}

export interface ClaimedBatch {
  rows: ClaimedRow[];
  /** Rows that an earlier import already made into barriers. */
  skipped: number;
  /** How many planned rows the batch covered (fewer than `size` at the end). */
  read: number;
}

/** Rows claimed at once: enough to overlap the database's round trips. */
const CLAIM_CONCURRENCY = 10;

export function createImportActivities(models: Models) {
  /** Claims a row's key for this import with a new barrier id; the winner's claim if another got there first. */
  async function claim(importId: string, key: string, row: number) {
    const barrierId = await allocateBarrierId(models);
    try {
      await models.ImportedBarrier.create({ _id: key, barrierId, importId, row, at: new Date() });
      return { barrierId, importId };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Another import claimed the same barrier at the same moment: it is theirs.
      return (await models.ImportedBarrier.findById(key).lean())!;
    }
  }

  return {
    /**
     * Claims a batch of planned rows. A row claimed by this import before (a
     * retry, or a worker that died mid-batch) comes back with the same barrier
     * id, so starting its workflow again finds the one already started; a row
     * another import made is skipped.
     */
    async claimImportBatch(input: ClaimImportBatchInput): Promise<ClaimedBatch> {
      // Everything here is read by key: a batch costs the same however large the import
      // or the history of imports (FerretDB scans for `$in` and ranges).
      const planned = await findByIds(
        models.ImportRow,
        Array.from({ length: input.size }, (_, i) => `${input.importId}:${input.from + i}`),
      );
      const emails = [
        ...new Set(planned.flatMap((r) => [r.ownerEmail, r.raisedBy]).filter((e) => e !== null)),
      ] as string[];
      const people = new Map((await findByIds(models.Person, emails)).map((p) => [p._id, p]));
      // Claims made before (an earlier import's, or this one's before a retry);
      // the rest claimed a few at a time.
      const claims = new Map(
        (
          await findByIds(
            models.ImportedBarrier,
            planned.map((r) => r.key),
          )
        ).map((c) => [c._id, { barrierId: c.barrierId, importId: c.importId }]),
      );
      const unclaimed = planned.filter((r) => !claims.has(r.key));
      for (let i = 0; i < unclaimed.length; i += CLAIM_CONCURRENCY) {
        await Promise.all(
          unclaimed.slice(i, i + CLAIM_CONCURRENCY).map(async (r) => {
            claims.set(r.key, await claim(input.importId, r.key, r.row));
          }),
        );
      }
      const rows: ClaimedRow[] = [];
      let skipped = 0;
      for (const r of planned) {
        const claimed = claims.get(r.key)!;
        if (claimed.importId !== input.importId) {
          skipped++;
          continue;
        }
        const owner = r.ownerEmail ? people.get(r.ownerEmail) : undefined;
        const close: ImportedFrom['close'] =
          r.status === 'resolved' || r.status === 'withdrawn'
            ? { status: r.status, text: r.resolution ?? 'Withdrawn before it was imported' }
            : undefined;
        rows.push({
          id: claimed.barrierId,
          details: r.details as RaiseBarrier,
          raisedBy: r.raisedBy && people.has(r.raisedBy) ? r.raisedBy : input.by,
          imported: {
            importId: input.importId,
            source: input.source,
            row: r.row,
            by: input.by,
            raisedOn: r.raisedOn.getTime(),
            ...(close ? { close } : {}),
            ...(owner ? { owner: { email: owner._id, name: owner.name } } : {}),
          },
        });
      }
      return { rows, skipped, read: planned.length };
    },

    /** Records how far an import has got (absolute figures, so a retry changes nothing). */
    async recordImportProgress(input: {
      importId: string;
      done: number;
      created: number;
      skipped: number;
      finished: boolean;
    }): Promise<void> {
      // Read first (by _id): what was done before says what this batch added, for the metrics.
      const before = await models.Import.findById(input.importId, { rows: 1, done: 1 }).lean();
      await models.Import.updateOne(
        { _id: input.importId },
        {
          $set: {
            done: input.done,
            created: input.created,
            skipped: input.skipped,
            ...(input.finished ? { status: 'done', finishedAt: new Date() } : {}),
          },
        },
      );
      // Rows newly done by this batch (none on a retry), and what is left.
      if (before)
        recordImportRows(
          input.importId,
          Math.max(0, input.done - (before.done ?? 0)),
          input.finished ? 0 : Math.max(0, before.rows - input.done),
        );
    },
  };
}
