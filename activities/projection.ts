/**
 * Projection of workflow state into the read model.
 *
 * Idempotent and order-safe: timeline events are keyed by (barrier, seq), and
 * the barrier document only moves forward (`lastSeq` guard), so a retried or
 * late activity never duplicates or rewinds anything. Every read and write
 * here is by `_id`: an index lookup on MongoDB, and on FerretDB 1.24 the
 * cheapest scan it has (see store/point-reads.ts).
 */
import type { TimelineEvent } from '../domain/barrier/types.ts';
import type { BarrierView } from '../workflows/barrier/definitions.ts';
import type { AskView } from '../workflows/ask/definitions.ts';
import type { AskEvent } from '../domain/ask/ask-machine.ts';
import { computeEvidence } from '../store/ask-queries.ts';
import { callsForEmail, type NotifyBarrierInput } from './notifications.ts';
import type { Models } from '../store/models.ts';
import { dialectOf, findByIds } from '../store/point-reads.ts';
import { markChanged } from '../store/read-cache.ts';
import { barrierDelta, timeToResolve, type Standing } from '../domain/dashboard/totals.ts';
import { writeDelta } from '../store/dashboard-rollups.ts';
import { isDuplicateKey } from '../store/store.ts';
import { insertUnlessThere } from '../store/errors.ts';
import { recordProjectedEvents } from '../observability/metrics/metrics.ts';
import type { WebhookEventInput } from '../store/webhook-outbox.ts';
import { askWebhookType, barrierWebhookType } from '../domain/webhooks/events.ts';
import { askForWebhook, webhookBody } from '../domain/webhooks/payload.ts';
import { publicBarrierShape } from '../domain/barrier/public-shape.ts';

export interface ProjectAskInput {
  view: AskView;
  events: AskEvent[];
}

export interface ProjectBarrierInput {
  workflowId: string;
  view: BarrierView;
  events: TimelineEvent[];
  /** Queue the emails these events call for in the outbox (workflows since the outbox patch). */
  outbox?: boolean;
}

/** Where a projection queues the emails its events call for (the worker's outbox, worker/email-outbox.ts). */
export type QueueEmails = (workflowId: string, input: NotifyBarrierInput) => Promise<void>;

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
    raisers: v.raisers,
    mergedInto: v.mergedInto,
    mergedFrom: v.mergedFrom,
    links: v.links,
    askId: v.askId,
    // For the dashboard's totals: what the delta that next moves the barrier takes away.
    resolvedInMs: timeToResolve({
      status: v.status,
      raisedAt: v.raisedAt,
      closedAt: v.closedAt,
      calendar: v.sla.calendar,
    }),
    lastSeq: v.seq,
    workflowId,
  };
}

/** A barrier's read-model document, as the projection writes it. */
export type BarrierDocument = ReturnType<typeof barrierDocument> & { everBreached?: boolean };

/** What the dashboard's totals take from a barrier's stored document (domain/dashboard/totals.ts). */
const STANDING = [
  'status',
  'locality',
  'category',
  'stage',
  'everBreached',
  'resolvedInMs',
] as const;

/** A subject's timeline events as the timeline collection (and a barrier's page) stores them. */
export function timelineDocs(subjectId: string, events: readonly (TimelineEvent | AskEvent)[]) {
  // When the read model learned of them: `at` is when each happened.
  const recordedAt = new Date();
  return events.map((e) => ({
    // An ask's events all belong to the whitehall stage.
    stage: 'whitehall',
    ...e,
    _id: `${subjectId}:${e.seq}`,
    barrierId: subjectId,
    at: new Date(e.at),
    recordedAt,
  }));
}
type TimelineDocs = ReturnType<typeof timelineDocs>;

/** Inserts a subject's timeline events; ones already there (a retry) are skipped. */
async function insertTimeline(
  models: Models,
  subjectId: string,
  docs: TimelineDocs,
): Promise<void> {
  if (docs.length === 0) return;
  try {
    await models.TimelineEvent.insertMany(
      docs,
      // Never drop an invalid event silently: fail (and retry) instead.
      { ordered: false, throwOnValidationError: true },
    );
  } catch (err) {
    // Only "already there" is not a failure. (An unreachable database can throw
    // with an empty list of write errors, which every() would have passed: the
    // outage test caught events lost that way.)
    const writeErrors = (err as { writeErrors?: unknown[] }).writeErrors;
    const allDuplicates =
      Array.isArray(writeErrors) && writeErrors.length > 0
        ? writeErrors.every(
            (w) => isDuplicateKey(w) || isDuplicateKey((w as { err?: unknown }).err),
          )
        : isDuplicateKey(err);
    if (!allDuplicates) throw err;
    // And a refusal is trusted only as far as it can be checked: every event is there.
    const ids = docs.map((d) => d._id);
    const present = await findByIds(models.TimelineEvent, ids, { _id: 1 });
    if (present.length !== ids.length) {
      throw new Error(
        `timeline of ${subjectId}: ${ids.length - present.length} of ${ids.length} events are not stored yet`,
      );
    }
  }
}

/** What {@link writeForward} read of the stored document: `lastSeq` and the fields asked for. */
type Stored = { lastSeq: number; [field: string]: unknown };

/**
 * Writes `doc` unless the stored one is as new or newer (`lastSeq`): never rewinds.
 *
 * Read `lastSeq` by `_id`, then write only if it is older. True when this call
 * wrote it (so `beforeWrite`'s last call is what was written). On MongoDB the
 * write is a compare-and-set on `{_id, lastSeq}`, atomic in the server. FerretDB
 * 1.x runs every update as a query followed by a write, so no filter makes it
 * atomic there; and any filter but `{_id}` scans the whole collection (seconds
 * per write once thousands of barriers exist), so there the write is by `_id`
 * and the guarantee is the read just before it, as it would be anyway.
 */
async function writeForward(
  model: Models['Barrier'] | Models['Ask'],
  doc: { _id: string; lastSeq: number; [k: string]: unknown },
  options: {
    probablyNew?: boolean;
    /** Fields of the stored document `beforeWrite` is given, beside `lastSeq`. */
    read?: readonly string[];
    /**
     * Runs before each write of `doc`, given the stored document (null: none
     * was seen, so `doc` is inserted); the fields it returns are written too.
     */
    beforeWrite?: (stored: Stored | null) => Promise<Record<string, unknown> | void>;
  } = {},
): Promise<boolean> {
  const { _id } = doc;
  const collection = model.collection;
  const compareAndSet = (await dialectOf(model.db)) === 'mongodb';
  /** True when inserted; false when a document with this `_id` is already there. */
  const insert = async () => {
    const extra = await options.beforeWrite?.(null);
    return insertUnlessThere(collection, { ...doc, ...extra, projectedAt: new Date() });
  };
  // A first projection (a retry aside) finds nothing: insert without reading first.
  if (options.probablyNew && (await insert())) return true;
  const projection = Object.fromEntries(['lastSeq', ...(options.read ?? [])].map((f) => [f, 1]));
  for (let attempt = 0; attempt < 20; attempt++) {
    const stored = await collection.findOne({ _id } as object, { projection });
    if (!stored) {
      if (await insert()) return true;
      continue; // written meanwhile: compare again
    }
    const lastSeq = (stored as { lastSeq?: number }).lastSeq ?? -1;
    if (lastSeq >= doc.lastSeq) return false; // as new or newer already
    const extra = await options.beforeWrite?.({ ...stored, lastSeq });
    const { _id: _, ...fields } = { ...doc, ...extra };
    const res = await collection.updateOne((compareAndSet ? { _id, lastSeq } : { _id }) as object, {
      $set: { ...fields, projectedAt: new Date() },
    });
    if (res.matchedCount === 1) return true;
    // Someone else moved it on between our read and write: compare again.
  }
  throw new Error(`could not project ${_id}: it kept changing underneath`);
}

/**
 * Writes a barrier's page (store/models.ts): its events by seq and, unless
 * `inserting` finds a page already there (a retried first batch, or a reset
 * workflow, which may be ahead), the barrier. Called before every write of the
 * barrier document, so the page is never behind it.
 */
async function writePage(
  models: Models,
  barrier: BarrierDocument,
  events: TimelineDocs,
  inserting: boolean,
): Promise<void> {
  const page = barrierPageDocument(barrier, events);
  const byKey = Object.fromEntries(
    Object.entries(page.events).map(([seq, e]) => [`events.${seq}`, e]),
  );
  await models.BarrierPage.collection.updateOne(
    { _id: page._id } as object,
    inserting
      ? { $setOnInsert: { barrier: page.barrier }, $set: byKey }
      : { $set: { barrier: page.barrier, ...byKey } },
    { upsert: true },
  );
}

/** A barrier's page as stored: the barrier and these events, keyed by seq. */
export function barrierPageDocument(barrier: BarrierDocument, events: TimelineDocs) {
  return {
    _id: barrier._id,
    barrier: { ...barrier, projectedAt: new Date() },
    events: Object.fromEntries(events.map((e) => [String(e.seq), e])),
  };
}

/** The batch that starts a subject's timeline: its read-model document does not exist yet. */
const isFirstBatch = (events: readonly { seq: number }[]) => events[0]?.seq === 1;

const askDate = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Where a projection records the webhook deliveries its events call for (activities/webhooks.ts). */
export interface ProjectionWebhooks {
  record: (events: readonly WebhookEventInput[]) => Promise<void>;
  /** Links to pages start with this (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
}

/** A barrier's events that subscribers may want, each with the barrier as it stands after them. */
function barrierWebhookEvents(
  barrier: BarrierDocument,
  events: readonly TimelineEvent[],
  publicBaseUrl: string,
): WebhookEventInput[] {
  return events.flatMap((e) => {
    const type = barrierWebhookType(e.type);
    if (!type) return [];
    return [
      {
        id: `${barrier._id}:${e.seq}`,
        type,
        subjectId: barrier._id,
        seq: e.seq,
        localities: [barrier.locality],
        body: () =>
          webhookBody(
            type,
            { seq: e.seq, at: e.at, kind: e.type, actor: e.actor, details: e.details },
            { barrier: publicBarrierShape(barrier) },
            `${publicBaseUrl}/barriers/${barrier._id}`,
          ),
      },
    ];
  });
}

export function createProjectionActivities(
  models: Models,
  queueEmails: QueueEmails,
  webhooks?: ProjectionWebhooks,
) {
  return {
    /**
     * Writes the barrier's events and current state to the read model and, for
     * workflows since the outbox patch, queues the emails they call for.
     */
    async projectBarrier(input: ProjectBarrierInput): Promise<void> {
      const { workflowId, view, events } = input;
      const docs = timelineDocs(view.id, events);
      await insertTimeline(models, view.id, docs);
      const barrier = barrierDocument(workflowId, view);
      // The events new to the read model in the write that went in: counted once.
      let written: TimelineDocs = [];
      // The native collection: the document is already in its stored shape.
      const wrote = await writeForward(models.Barrier, barrier, {
        probablyNew: isFirstBatch(events),
        read: STANDING,
        beforeWrite: async (stored) => {
          // The dashboard's totals first, from the document as it stands: a retry
          // after a failure below finds it unchanged and writes the same delta.
          const fresh = stored ? docs.filter((e) => e.seq > stored.lastSeq) : docs;
          written = fresh;
          const before = stored as (Standing & Stored) | null;
          const after = {
            ...barrier,
            everBreached: !!before?.everBreached || fresh.some((e) => e.type === 'breached'),
          };
          await writeDelta(models, `${view.id}:${view.seq}`, barrierDelta(before, after, fresh));
          await writePage(models, after, docs, stored === null);
          return { everBreached: after.everBreached };
        },
      });
      if (wrote)
        recordProjectedEvents(
          written.map((e) => ({ ...e, at: e.at.getTime() })),
          Date.now(),
        );
      await Promise.all([
        // After the writes, never before: cached lists are read again from here on.
        markChanged(models, 'barriers'),
        input.outbox && callsForEmail({ view, events })
          ? queueEmails(workflowId, { view, events })
          : undefined,
        webhooks?.record(barrierWebhookEvents(barrier, events, webhooks.publicBaseUrl)),
      ]);
    },

    /** Writes the ask's events, state and evidence to the read model. */
    async projectAsk(input: ProjectAskInput): Promise<void> {
      const v = input.view;
      await insertTimeline(models, v.id, timelineDocs(v.id, input.events));
      const evidence = await computeEvidence(models, v.barrierIds, Date.now());
      const doc = {
        _id: v.id,
        reference: v.reference,
        title: v.title,
        department: v.department,
        ask: v.ask,
        createdBy: v.createdBy,
        owner: v.owner,
        createdAt: new Date(v.createdAt),
        status: v.status,
        barrierIds: v.barrierIds,
        submittedAt: askDate(v.submittedAt),
        dueAt: askDate(v.dueAt),
        chasers: v.chasers,
        calendar: v.calendar,
        responseTarget: v.responseTarget,
        nextChaseAt: askDate(v.nextChaseAt),
        outcome: v.outcome,
        response: v.response,
        respondedAt: askDate(v.respondedAt),
        evidence,
        lastSeq: v.seq,
      };
      await writeForward(models.Ask, doc, { probablyNew: isFirstBatch(input.events) });
      // After the write, never before: the dashboard's asks by outcome are read again from here on.
      await markChanged(models, 'asks');
      if (webhooks) {
        await webhooks.record(
          input.events.flatMap((e) => {
            const type = askWebhookType(e.type);
            if (!type) return [];
            return [
              {
                id: `${v.id}:${e.seq}`,
                type,
                subjectId: v.id,
                seq: e.seq,
                localities: evidence.localities,
                body: () =>
                  webhookBody(
                    type,
                    { seq: e.seq, at: e.at, kind: e.type, actor: e.actor, details: e.details },
                    { ask: askForWebhook(doc) },
                    `${webhooks.publicBaseUrl}/asks/${v.id}`,
                  ),
              },
            ];
          }),
        );
      }
    },
  };
}
