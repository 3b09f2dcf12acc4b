/** Read-side queries for Whitehall asks: what their evidence is worked out from, the register. */
import {
  askEvidence,
  evidenceSummary,
  type AskEvidence,
  type EvidenceSources,
} from '../domain/ask/evidence.ts';
import { readTimelines } from './barrier-queries.ts';
import type { Models } from './models.ts';
import { findByIds } from './point-reads.ts';

export type { AskEvidence, EvidenceSources };

/** What an ask's evidence is computed from: its barriers, those merged into them, their events. */
export async function readEvidenceSources(
  models: Models,
  barrierIds: string[],
): Promise<EvidenceSources> {
  // By key: an ask's evidence costs what its barriers cost, whatever the store holds.
  const barriers = await findByIds(models.Barrier, barrierIds);
  const merged = await findByIds(
    models.Barrier,
    barriers.flatMap((b) => b.mergedFrom ?? []),
  );
  const events = await readTimelines(
    models,
    [...barriers, ...merged].map((b) => ({ id: b._id, lastSeq: b.lastSeq })),
  );
  return { barrierIds, barriers, merged, events };
}

/** Evidence for an ask, computed from its barriers in the read model. */
export async function computeEvidence(
  models: Models,
  barrierIds: string[],
  now: number,
): Promise<AskEvidence> {
  return evidenceSummary(askEvidence(await readEvidenceSources(models, barrierIds), now));
}

/**
 * Every ask's status and outcome, for the dashboard: read once for each change
 * to the asks (services/dashboard.ts), costing FerretDB the decoding of every
 * ask; asks are few beside barriers.
 */
export async function readAskOutcomes(models: Models) {
  const asks = await models.Ask.find({}, { status: 1, outcome: 1 }).lean();
  return asks.map((a) => ({ status: a.status, outcome: a.outcome ?? null }));
}
