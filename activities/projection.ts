/**
 * Projection of workflow state into the read model.
 *
 * Idempotent and order-safe: timeline events are keyed by (barrier, seq), and
 * the barrier document only moves forward (`lastSeq` guard), so a retried or
 * late activity never duplicates or rewinds anything.
 */
import type { TimelineEvent } from '../domain/barrier/barrier-machine.ts';
import type { BarrierView } from '../workflows/barrier/definitions.ts';
import type { Models } from '../store/models.ts';
import { isDuplicateKey } from '../store/store.ts';

export interface ProjectBarrierInput {
  workflowId: string;
  view: BarrierView;
  events: TimelineEvent[];
}

/** Sorts after every real deadline. */
export const NO_DEADLINE = Date.UTC(9999, 11, 31);

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

/** The read-model document for a view. */
export function barrierDocument(workflowId: string, v: BarrierView) {
  return {
    _id: v.id,
    reference: v.reference,
    title: v.title,
    description: v.description,
    locality: v.locality,
    neighbourhood: v.neighbourhood,
    category: v.category,
    focusArea: v.focusArea,
    gmModelFeature: v.gmModelFeature,
    peopleAffected: v.peopleAffected,
    evidence: v.evidence,
    raisedBy: v.raisedBy,
    raisedAt: new Date(v.raisedAt),
    stage: v.stage,
    status: v.status,
    cycle: v.cycle,
    owner: v.owner,
    ownerEmail: v.owner?.email ?? null,
    acknowledged: v.acknowledged,
    policy: v.policy,
    sla: {
      ...v.sla,
      acknowledgeDueAt: date(v.sla.acknowledgeDueAt),
      resolveDueAt: date(v.sla.resolveDueAt),
      nextDeadlineAt: date(v.sla.nextDeadlineAt),
      overdueSince: date(v.sla.overdueSince),
    },
    breached: v.sla.breached,
    atRisk: v.sla.atRisk,
    nextDeadlineAt: date(v.sla.nextDeadlineAt),
    overdueSince: date(v.sla.overdueSince),
    deadlineSortAt: new Date(v.sla.nextDeadlineAt ?? NO_DEADLINE),
    closedAt: date(v.closedAt),
    reopenUntil: date(v.reopenUntil),
    resolution: v.resolution,
    lastSeq: v.seq,
    workflowId,
  };
}

export function createProjectionActivities(models: Models) {
  return {
    /** Writes the barrier's events and current state to the read model. */
    async projectBarrier(input: ProjectBarrierInput): Promise<void> {
      const { view, events } = input;
      if (events.length > 0) {
        try {
          await models.TimelineEvent.insertMany(
            events.map((e) => ({
              ...e,
              _id: `${view.id}:${e.seq}`,
              barrierId: view.id,
              at: new Date(e.at),
            })),
            { ordered: false },
          );
        } catch (err) {
          const writeErrors = (err as { writeErrors?: unknown[] }).writeErrors;
          const allDuplicates = Array.isArray(writeErrors)
            ? writeErrors.every(
                (w) => isDuplicateKey(w) || isDuplicateKey((w as { err?: unknown }).err),
              )
            : isDuplicateKey(err);
          if (!allDuplicates) throw err;
        }
      }
      const doc = barrierDocument(input.workflowId, view);
      const { _id, ...fields } = doc;
      // The native collection: the document is already in its stored shape.
      const barriers = models.Barrier.collection;
      const res = await barriers.updateOne({ _id, lastSeq: { $lt: view.seq } } as object, {
        $set: { ...fields, projectedAt: new Date() },
      });
      if (res.matchedCount === 0) {
        try {
          await barriers.insertOne({ ...doc, projectedAt: new Date() } as object);
        } catch (err) {
          // Already there with this seq or a later one: nothing to do.
          if (!isDuplicateKey(err)) throw err;
        }
      }
    },
  };
}
