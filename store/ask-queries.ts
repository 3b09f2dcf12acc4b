/** Read-side queries for Whitehall asks: evidence from the bundled barriers, the register. */
import { workingTimeBetween } from '../domain/calendar/working-time.ts';
import { readTimelines } from './barrier-queries.ts';
import type { Models } from './models.ts';
import { findByIds } from './point-reads.ts';

export interface AskEvidence {
  /** Every locality sharing the barriers, merged ones included. */
  localities: string[];
  /** `locality/neighbourhood` of every barrier, merged ones included: who may see the ask. */
  neighbourhoods: string[];
  peopleAffected: number;
  breaches: number;
  barriers: {
    id: string;
    reference: string;
    title: string;
    locality: string;
    status: string;
    peopleAffected: number | null;
    /** Working time (in its policy's calendar) from raised to closed, or to now. */
    openForMs: number;
    breaches: number;
  }[];
}

/** What an ask's evidence is computed from: its barriers, those merged into them, their events. */
export async function readEvidenceSources(models: Models, barrierIds: string[]) {
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
export type EvidenceSources = Awaited<ReturnType<typeof readEvidenceSources>>;

/** Evidence for an ask, computed from its barriers in the read model. */
export async function computeEvidence(
  models: Models,
  barrierIds: string[],
  now: number,
): Promise<AskEvidence> {
  return evidenceFrom(await readEvidenceSources(models, barrierIds), now);
}

/** Evidence from what was read, as at `now`: no reads, so a pack and a page agree. */
export function evidenceFrom(
  { barrierIds, barriers, merged, events }: EvidenceSources,
  now: number,
): AskEvidence {
  const breachEvents = events.filter((e) => e.type === 'breached');
  const breachesOf = (ids: string[]) =>
    breachEvents.filter((e) => ids.includes(e.barrierId)).length;
  const rows = barrierIds.flatMap((id) => {
    const b = barriers.find((x) => x._id === id);
    if (!b) return [];
    const calendar =
      b.sla.calendar === '24x7' ? ('24x7' as const) : ('working-hours-england-and-wales' as const);
    return [
      {
        id: b._id,
        reference: b.reference,
        title: b.title,
        locality: b.locality,
        status: b.status,
        peopleAffected: b.peopleAffected ?? null,
        openForMs: workingTimeBetween(calendar, b.raisedAt.getTime(), b.closedAt?.getTime() ?? now),
        breaches: breachesOf([b._id, ...(b.mergedFrom ?? [])]),
      },
    ];
  });
  return {
    localities: [
      ...new Set([...rows.map((r) => r.locality), ...merged.map((m) => m.locality)]),
    ].sort(),
    neighbourhoods: [
      ...new Set([...barriers, ...merged].map((b) => `${b.locality}/${b.neighbourhood}`)),
    ].sort(),
    peopleAffected: rows.reduce((n, r) => n + (r.peopleAffected ?? 0), 0),
    breaches: rows.reduce((n, r) => n + r.breaches, 0),
    barriers: rows,
  };
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
