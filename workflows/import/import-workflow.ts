/**
 * importWorkflow: makes each planned row of a checked import into a barrier,
 * a batch at a time. Each barrier runs its own barrierWorkflow, started here
 * as a child that outlives the import. Progress is recorded after every
 * batch; a worker or API restart resumes from the last batch, and a row is
 * claimed once across every import, so nothing is created twice.
 */
import {
  ParentClosePolicy,
  continueAsNew,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/types.ts';
import type { Policy } from '../../domain/policy/policy.ts';
import { STORE_ACTIVITY } from '../activity-options.ts';
import { barrierWorkflow } from '../barrier/barrier-workflow.ts';
import { barrierWorkflowId } from '../barrier/definitions.ts';

const { claimImportBatch, recordImportProgress } = proxyActivities<Activities>(STORE_ACTIVITY);

export interface ImportWorkflowInput {
  importId: string;
  /** The file's name, recorded on each barrier's timeline. */
  source: string;
  /** Who confirmed the import. */
  by: string;
  policy: Policy;
  /** How many planned rows there are. */
  rows: number;
  /** Where this run starts (after continuing as new), and what came before it. */
  from?: number;
  created?: number;
  skipped?: number;
}

export interface ImportResult {
  created: number;
  skipped: number;
}

/** The workflow id of an import: starting it twice is one import. */
export const importWorkflowId = (importId: string) => `import-${importId}`;

/** Rows per batch: big enough to keep the worker busy, small enough for history. */
const BATCH = 50;
/** Continue as new well before Temporal's history limits. */
const MAX_HISTORY_EVENTS = 4_000;

export async function importWorkflow(input: ImportWorkflowInput): Promise<ImportResult> {
  let from = input.from ?? 0;
  let created = input.created ?? 0;
  let skipped = input.skipped ?? 0;
  while (from < input.rows) {
    const batch = await claimImportBatch({
      importId: input.importId,
      by: input.by,
      source: input.source,
      from,
      size: BATCH,
    });
    await Promise.all(
      batch.rows.map(async (row) => {
        try {
          await startChild(barrierWorkflow, {
            workflowId: barrierWorkflowId(row.id),
            args: [
              {
                version: 2,
                id: row.id,
                reference: row.id,
                details: row.details,
                raisedBy: row.raisedBy,
                policy: input.policy,
                imported: row.imported,
              },
            ],
            parentClosePolicy: ParentClosePolicy.ABANDON,
            searchAttributes: {
              GtLocality: [row.details.locality],
              GtNeighbourhood: [row.details.neighbourhood],
              GtStage: ['neighbourhood'],
              GtStatus: ['open'],
            },
          });
        } catch (err) {
          // Started by an earlier run of this import (its claim is this import's).
          // (The SDK's error class lives outside the workflow package: match its name.)
          if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
        }
      }),
    );
    from += Math.max(batch.read, 1);
    created += batch.rows.length;
    skipped += batch.skipped;
    const finished = from >= input.rows;
    await recordImportProgress({
      importId: input.importId,
      done: Math.min(from, input.rows),
      created,
      skipped,
      finished,
    });
    if (!finished && workflowInfo().historyLength > MAX_HISTORY_EVENTS)
      await continueAsNew<typeof importWorkflow>({ ...input, from, created, skipped });
  }
  return { created, skipped };
}
