/** How barriers and asks look on the wire: ISO 8601 instants, no storage fields. */
import { publicBarrier } from '../services/public-barrier.ts';
import { departmentName } from '../domain/reference-data.ts';
import type { AskEvidence } from '../services/read-model.ts';
import type { AskDoc } from '../services/read-model.ts';
import type { askDetail } from '../services/asks.ts';
import type { StoredImport } from '../services/imports.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A barrier as the API sends it: its public shape. */
export const barrierResource = publicBarrier;

export function askResource(a: AskDoc & { _id: string }, evidence: AskEvidence | null) {
  return {
    id: a._id,
    reference: a.reference,
    title: a.title,
    department: a.department,
    departmentName: departmentName(a.department),
    ask: a.ask,
    status: a.status,
    owner: a.owner,
    createdBy: a.createdBy,
    createdAt: iso(a.createdAt),
    barrierIds: a.barrierIds,
    submittedAt: iso(a.submittedAt),
    responseDueAt: iso(a.dueAt),
    chasers: a.chasers,
    nextChaseAt: iso(a.nextChaseAt),
    outcome: a.outcome ?? null,
    response: a.response ?? null,
    respondedAt: iso(a.respondedAt),
    evidence,
  };
}

/** An ask with its evidence, its barriers and its timeline. */
export function askDetailResource(d: Awaited<ReturnType<typeof askDetail>>) {
  return {
    ...askResource(d.ask, d.evidence),
    barriers: d.barriers.map((b) => ({
      id: b._id,
      reference: b.reference,
      title: b.title,
      locality: b.locality,
      neighbourhood: b.neighbourhood,
      stage: b.stage,
      status: b.status,
    })),
    timeline: d.timeline.map((e) => ({
      seq: e.seq,
      at: iso(e.at),
      type: e.type,
      actor: e.actor,
      details: e.details as Record<string, unknown>,
    })),
  };
}

export function importRepresentation(doc: StoredImport) {
  return {
    id: doc._id,
    filename: doc.filename,
    uploadedBy: doc.uploadedBy,
    uploadedAt: doc.uploadedAt.toISOString(),
    status: doc.status as 'checked' | 'importing' | 'done',
    rows: doc.rows,
    alreadyImported: doc.alreadyImported ?? 0,
    progress: { done: doc.done ?? 0, created: doc.created ?? 0, skipped: doc.skipped ?? 0 },
    startedBy: doc.startedBy ?? null,
    startedAt: iso(doc.startedAt),
    finishedAt: iso(doc.finishedAt),
  };
}
