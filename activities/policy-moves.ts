/**
 * Policy-move activities: move one batch of a move's planned barriers onto
 * the target SLA policy version, through each barrier's workflow, and record
 * how far the move has got; then finish it with one audit entry. A batch run
 * again (a retry, or a worker that died mid-batch) finds the barriers it moved
 * already on the target version and counts them as moved, so nothing is
 * moved twice and nothing is lost.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Actor } from '../domain/barrier/types.ts';
import type { Models } from '../store/models.ts';
import { getPolicy } from '../store/policy-store.ts';
import { BarrierActionRejected, actOnBarrier } from '../workflows/barrier/lifecycle.ts';
import { recordBulkMoveProgress } from '../observability/metrics/metrics.ts';
import { withHeartbeat } from './email-ledger.ts';

/** A barrier a move could not move, and why. */
export interface SkippedBarrier {
  id: string;
  reason: string;
}

/** Barrier workflows updated at once within a batch. */
const CONCURRENCY = 4;

export function createPolicyMoveActivities(models: Models, client: Client | undefined) {
  async function moveDoc(moveId: string) {
    const doc = await models.PolicyMove.findById(moveId).lean();
    if (!doc) throw new Error(`policy move ${moveId} has no record`);
    return doc;
  }

  return {
    /** Moves barriers [from, from + size) of the move's plan and records the progress. */
    async movePolicyBatch(input: { moveId: string; from: number; size: number }): Promise<void> {
      if (!client) throw new Error('policy moves need the worker’s Temporal client');
      const move = await moveDoc(input.moveId);
      const policy = await getPolicy(models, move.policyId, move.to);
      if (!policy) throw new Error(`policy ${move.policyId} version ${move.to} has gone`);
      const ids = move.barrierIds.slice(input.from, input.from + input.size);
      const actor = move.actor as Actor;
      const moved: string[] = [];
      const skipped: SkippedBarrier[] = [];
      const queue = [...ids];
      // A worker shutting down cancels the batch: stop waiting on barrier workflows
      // (which that worker no longer runs), so it can stop; the batch runs again.
      const { cancelled, cancellationSignal } = Context.current();
      await withHeartbeat(() =>
        Promise.race([
          cancelled,
          Promise.all(
            Array.from({ length: CONCURRENCY }, async () => {
              for (let id = queue.shift(); id && !cancellationSignal.aborted; id = queue.shift()) {
                try {
                  await actOnBarrier(client, id, { type: 'migrate-policy', policy }, actor);
                  moved.push(id);
                } catch (err) {
                  if (!(err instanceof BarrierActionRejected)) throw err;
                  // Moved by an earlier try of this batch: it is on the target version.
                  if (
                    err.message.includes(`already follows policy ${policy.id} v${policy.version}`)
                  )
                    moved.push(id);
                  else skipped.push({ id, reason: err.message });
                }
              }
            }),
          ),
        ]),
      );
      // Only this move's workflow writes its record, one batch at a time: read, then write.
      const inBatch = new Set(ids);
      const before = await moveDoc(input.moveId);
      const done = Math.max(before.done, input.from + ids.length);
      await models.PolicyMove.updateOne(
        { _id: input.moveId },
        {
          $set: {
            done,
            migrated: [...new Set([...before.migrated, ...moved])].sort(),
            skipped: [
              ...(before.skipped as SkippedBarrier[]).filter((s) => !inBatch.has(s.id)),
              ...skipped.sort((a, b) => a.id.localeCompare(b.id)),
            ],
          },
        },
      );
      // Counted once however often a batch runs: only what this run added.
      recordBulkMoveProgress(done - before.done, move.barrierIds.length - done, input.moveId);
    },

    /** Marks the move done and records it in the audit log, once. */
    async finishPolicyMove(input: { moveId: string }): Promise<void> {
      const move = await moveDoc(input.moveId);
      recordBulkMoveProgress(0, 0, input.moveId);
      if (move.status === 'done') return;
      const actor = move.actor as Actor;
      // The audit log's entry, as services/audit.ts writes the others.
      await models.AuditEntry.create({
        at: new Date(),
        actor: actor.email,
        action: 'policy.barriers-migrated',
        target: `policy:${move.policyId}@${move.to}`,
        before: { version: move.from, barriers: move.barrierIds.length },
        after: { version: move.to, migrated: move.migrated, skipped: move.skipped, move: move._id },
        via: move.via,
      });
      await models.PolicyMove.updateOne(
        { _id: input.moveId, status: { $ne: 'done' } },
        { $set: { status: 'done', finishedAt: new Date() } },
      );
    },
  };
}
