/**
 * Reconciliation: compares the read model with the workflows, the source of
 * truth, barrier by barrier. After an outage the two must agree again; any
 * difference is listed with the field, so an operator can see what lags.
 */
import type { Client } from '@temporalio/client';
import { readTimelines } from '../../store/barrier-queries.ts';
import type { Models } from '../../store/models.ts';
import { queryBarrierState } from '../../workflows/barrier/lifecycle.ts';

export interface Mismatch {
  barrierId: string;
  field: string;
  workflow: unknown;
  readModel: unknown;
}

/** Compares every barrier in `ids` (default: every barrier in the read model). */
export async function reconcileBarriers(
  client: Client,
  models: Models,
  ids?: string[],
): Promise<Mismatch[]> {
  const docs = await models.Barrier.find(ids ? { _id: { $in: ids } } : {}, {
    stage: 1,
    status: 1,
    ownerEmail: 1,
    lastSeq: 1,
  }).lean();
  const byId = new Map(docs.map((d) => [d._id, d]));
  const out: Mismatch[] = [];
  for (const id of ids ?? byId.keys()) {
    const doc = byId.get(id);
    const view = await queryBarrierState(client, id).catch(() => null);
    if (!view) {
      out.push({
        barrierId: id,
        field: 'workflow',
        workflow: null,
        readModel: doc ? 'present' : null,
      });
      continue;
    }
    if (!doc) {
      out.push({ barrierId: id, field: 'document', workflow: 'present', readModel: null });
      continue;
    }
    const pairs: [string, unknown, unknown][] = [
      ['stage', view.stage, doc.stage],
      ['status', view.status, doc.status],
      ['owner', view.owner?.email ?? null, doc.ownerEmail ?? null],
      ['seq', view.seq, doc.lastSeq],
    ];
    for (const [field, w, r] of pairs)
      if (w !== r) out.push({ barrierId: id, field, workflow: w, readModel: r });
    const present = new Set(
      (await readTimelines(models, [{ id, lastSeq: view.seq }])).map((e) => e.seq),
    );
    const missing = Array.from({ length: view.seq }, (_, i) => i + 1).filter(
      (n) => !present.has(n),
    );
    if (missing.length > 0)
      out.push({
        barrierId: id,
        field: 'timeline events missing',
        workflow: `1..${view.seq}`,
        readModel: `without ${missing.join(', ')}`,
      });
  }
  return out;
}
