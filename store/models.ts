/**
 * The MongoDB read model, directory, policies and bookkeeping, as mongoose
 * models bound to one connection.
 *
 * Written for FerretDB 1.x as well as MongoDB: no transactions, `$lookup`,
 * `$facet`, TTL, sparse or partial indexes. Idempotency comes from natural
 * `_id`s and unique indexes instead.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { stampWritesOf } from './read-cache.ts';
import { createWebhookModels } from './webhook-models.ts';

const owner = new Schema({ email: String, name: String, reason: String }, { _id: false });

const barrierSchema = new Schema(
  {
    _id: { type: String, required: true },
    reference: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, required: true },
    locality: { type: String, required: true },
    neighbourhood: { type: String, required: true },
    category: { type: String, required: true },
    focusArea: { type: String, default: null },
    gmModelFeature: { type: String, default: null },
    peopleAffected: { type: Number, default: null },
    evidence: { type: [{ _id: false, title: String, url: String }], default: [] },
    raisedBy: { type: String, required: true },
    raisedAt: { type: Date, required: true },
    stage: { type: String, required: true },
    status: { type: String, required: true },
    cycle: { type: Number, required: true },
    owner: { type: owner, default: null },
    ownerEmail: { type: String, default: null },
    acknowledged: { type: Boolean, default: false },
    policy: { type: { _id: false, id: String, version: Number }, required: true },
    sla: {
      type: {
        _id: false,
        stage: String,
        calendar: String,
        acknowledgeDueAt: Date,
        resolveDueAt: Date,
        paused: Boolean,
        pauseReason: String,
        breached: Boolean,
        atRisk: Boolean,
        nextDeadlineAt: Date,
        overdueSince: Date,
      },
      required: true,
    },
    // Copied to the top level so list filters and sorts use plain indexes.
    breached: { type: Boolean, default: false },
    atRisk: { type: Boolean, default: false },
    nextDeadlineAt: { type: Date, default: null },
    overdueSince: { type: Date, default: null },
    /** nextDeadlineAt, or the far future when nothing is due: a total order for cursor paging. */
    deadlineSortAt: { type: Date, required: true },
    closedAt: { type: Date, default: null },
    reopenUntil: { type: Date, default: null },
    resolution: { type: String, default: null },
    /** Everyone who raised it, including raisers of barriers merged into it. */
    raisers: { type: [String], default: [] },
    mergedInto: { type: String, default: null },
    mergedFrom: { type: [String], default: [] },
    links: { type: [String], default: [] },
    askId: { type: String, default: null },
    /** The seq of the last event applied: projections older than this are ignored. */
    lastSeq: { type: Number, required: true },
    /** Whether any deadline of it was ever missed (kept by the projection for the dashboard's totals). */
    everBreached: { type: Boolean, default: false },
    /**
     * Working time from raised to resolved, for a resolved or closed barrier
     * (kept by the projection for the dashboard's totals).
     */
    resolvedInMs: { type: Number, default: null },
    workflowId: { type: String, required: true },
    projectedAt: { type: Date, required: true },
  },
  { collection: 'barriers', versionKey: false },
);
// One index per list filter, each ending in the sort keys it serves.
for (const filter of [
  'locality',
  'neighbourhood',
  'stage',
  'status',
  'category',
  'ownerEmail',
  'breached',
  'atRisk',
]) {
  barrierSchema.index({ [filter]: 1, deadlineSortAt: 1, _id: 1 });
  barrierSchema.index({ [filter]: 1, raisedAt: -1, _id: -1 });
}
barrierSchema.index({ deadlineSortAt: 1, _id: 1 });
barrierSchema.index({ raisedAt: -1, _id: -1 });
barrierSchema.index({ reference: 1 }, { unique: true });
barrierSchema.index({ askId: 1 });

const timelineSchema = new Schema(
  {
    /** `<subject>:<seq>`: a retried projection cannot insert an event twice. */
    _id: { type: String, required: true },
    /** The barrier (GT-…) or Whitehall ask (ASK-…) the event belongs to. */
    barrierId: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    /** When the projection wrote it (its lag behind `at` is what benchmarks measure). */
    recordedAt: { type: Date, default: null },
    type: { type: String, required: true },
    stage: { type: String, required: true },
    actor: { type: String, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'timeline', versionKey: false, minimize: false },
);
timelineSchema.index({ barrierId: 1, seq: 1 }, { unique: true });

/**
 * A barrier with its own timeline in one document, for reading one barrier by
 * `_id` in one query (FerretDB decodes and answers each query at a cost of its
 * own). Written by the projection before the barrier document, so it is never
 * behind it. `events` is keyed by seq: a retried write sets the same keys.
 * Readers check that it holds seq 1..`barrier.lastSeq`, and otherwise read the
 * barrier and its timeline (store/barrier-queries.ts).
 */
const barrierPageSchema = new Schema(
  {
    _id: { type: String, required: true },
    barrier: { type: Schema.Types.Mixed, required: true },
    events: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'barrier_pages', versionKey: false, minimize: false },
);

/** A count of the dashboard's totals: its key (store/dashboard-rollups.ts) and how many. */
const rollupCountSchema = new Schema({ k: String, n: Number }, { _id: false });

/**
 * What one projection of a barrier changed in the dashboard's totals, by
 * `<barrier>:<seq>`: written once, kept after it is folded into a snapshot
 * (`folded`) so that a retry finds it there (store/dashboard-rollups.ts).
 */
const dashboardDeltaSchema = new Schema(
  {
    _id: { type: String, required: true },
    counts: { type: [rollupCountSchema], default: [] },
    /** When each deadline newly missed was missed (epoch ms). */
    breaches: { type: [Number], default: [] },
    folded: { type: Boolean, default: false },
    at: { type: Date, required: true },
  },
  { collection: 'dashboard_deltas', versionKey: false },
);
dashboardDeltaSchema.index({ folded: 1, at: 1 });

/** The dashboard's totals as at a fold: numbered 0, 1, 2 … and never changed once written. */
const dashboardSnapshotSchema = new Schema(
  {
    _id: { type: Number, required: true },
    counts: { type: [rollupCountSchema], default: [] },
    /** Breaches recent enough for the weekly chart (epoch ms). */
    breaches: { type: [Number], default: [] },
    /** The deltas this snapshot folded in. */
    folded: { type: [String], default: [] },
    /** What its counts count (store/dashboard-rollups.ts, TOTALS_VERSION); absent is 1. */
    version: { type: Number, default: 1 },
    at: { type: Date, required: true },
  },
  { collection: 'dashboard_snapshots', versionKey: false },
);

const neighbourhoodSchema = new Schema(
  {
    slug: { type: String, required: true },
    name: { type: String, required: true },
    lead: { type: String, default: null },
    deputy: { type: String, default: null },
  },
  { _id: false },
);

const localitySchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    neighbourhoods: { type: [neighbourhoodSchema], default: [] },
    leads: { type: [String], default: [] },
    specialists: { type: [{ _id: false, category: String, email: String }], default: [] },
  },
  { collection: 'localities', versionKey: false },
);
stampWritesOf(localitySchema, 'directory');

const personSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    roles: { type: [String], default: [] },
    locality: { type: String, default: null },
    neighbourhood: { type: String, default: null },
    available: { type: Boolean, default: true },
    /** `immediate` or `daily-digest` for non-urgent emails. */
    delivery: { type: String, default: 'immediate' },
    /** `person`, or `service`: a machine client whose tokens carry no email (its `_id` is its owners' contact address). */
    kind: { type: String, default: 'person' },
    /** For a service: the OpenID client id its client-credentials tokens carry. */
    clientId: { type: String, default: null },
  },
  { collection: 'people', versionKey: false },
);
personSchema.index({ roles: 1 });
personSchema.index({ clientId: 1 });
// Identities, localities and policies are served from memory until the directory changes (read-cache.ts).
stampWritesOf(personSchema, 'directory');

/**
 * A page session: the cookie carries a random id, stored here only as its
 * SHA-256, so neither the cookie nor this collection holds a provider token
 * that could be replayed elsewhere. The provider's ID token is kept only to
 * end the session there on sign-out.
 */
const sessionSchema = new Schema(
  {
    /** SHA-256 (base64url) of the cookie's session id. */
    _id: { type: String, required: true },
    email: { type: String, required: true },
    /** `oidc` or `development`. */
    via: { type: String, required: true },
    /** The role a person holding several acts in (null: their first). */
    actingAs: { type: String, default: null },
    idToken: { type: String, default: null },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedBy: { type: String, default: null },
  },
  { collection: 'sessions', versionKey: false },
);
sessionSchema.index({ email: 1 });

/** Someone following a barrier: `<barrierId>:<email>`, so following twice is one follow. */
const followSchema = new Schema(
  {
    _id: { type: String, required: true },
    barrierId: { type: String, required: true },
    email: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'follows', versionKey: false },
);
followSchema.index({ barrierId: 1 });

/** One administrative change: who, when, what, before and after. */
const auditSchema = new Schema(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    /** What was done, such as `person.updated` or `policy.added`. */
    action: { type: String, required: true },
    /** What it was done to: `person:<email>`, `locality:<slug>`, `policy:<id>@<v>`, `barrier:<id>`. */
    target: { type: String, required: true },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
    /** `api` or `pages`. */
    via: { type: String, required: true },
  },
  { collection: 'audit', versionKey: false, minimize: false },
);
auditSchema.index({ at: -1 });

/**
 * An import of a locality's barrier log: its dry run (problems, what would be
 * created), then its progress. `IMP-0001` onwards.
 */
const importSchema = new Schema(
  {
    _id: { type: String, required: true },
    filename: { type: String, required: true },
    uploadedBy: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
    /** `checked` (dry run, ready), `refused` (has problems), `importing`, `done`. */
    status: { type: String, required: true },
    /** The first problems, by row and column (`problemCount` says how many in all). */
    problems: { type: [Schema.Types.Mixed], default: [] },
    problemCount: { type: Number, default: 0 },
    rows: { type: Number, required: true },
    /** Rows already imported (by an earlier import) when checked. */
    alreadyImported: { type: Number, default: 0 },
    startedBy: { type: String, default: null },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    /** Rows processed so far, and what became of them. */
    done: { type: Number, default: 0 },
    created: { type: Number, default: 0 },
    skipped: { type: Number, default: 0 },
  },
  { collection: 'imports', versionKey: false, minimize: false },
);
importSchema.index({ uploadedAt: -1 });

/** One planned row of an import: `<importId>:<n>`, n counting from 0 in file order (read by key). */
const importRowSchema = new Schema(
  {
    _id: { type: String, required: true },
    importId: { type: String, required: true },
    row: { type: Number, required: true },
    key: { type: String, required: true },
    details: { type: Schema.Types.Mixed, required: true },
    raisedOn: { type: Date, required: true },
    status: { type: String, required: true },
    resolution: { type: String, default: null },
    ownerEmail: { type: String, default: null },
    raisedBy: { type: String, default: null },
  },
  { collection: 'import_rows', versionKey: false, minimize: false },
);

/**
 * A barrier that came from an import, by its import key (locality,
 * neighbourhood, day and title): what makes importing the same row twice create it once.
 */
const importedBarrierSchema = new Schema(
  {
    _id: { type: String, required: true },
    barrierId: { type: String, required: true },
    importId: { type: String, required: true },
    row: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'imported_barriers', versionKey: false },
);

/**
 * Moving the open barriers of one SLA policy version onto another: what was
 * planned (the barriers pinned to `from` when it started) and how far the
 * move's workflow (workflows/policy) has got. `MOVE-<uuid>`.
 */
const policyMoveSchema = new Schema(
  {
    _id: { type: String, required: true },
    policyId: { type: String, required: true },
    from: { type: Number, required: true },
    to: { type: Number, required: true },
    startedBy: { type: String, required: true },
    /** The admin as the barriers' workflows are told of them (email and role). */
    actor: { type: Schema.Types.Mixed, required: true },
    /** `pages` or `api`: where it was started, for the audit entry at the end. */
    via: { type: String, required: true },
    startedAt: { type: Date, required: true },
    /** The targets that change, `stage target: from → to`, as the plan showed them. */
    changes: { type: [String], default: [] },
    /** The open barriers pinned to `from` when the move started, in id order. */
    barrierIds: { type: [String], default: [] },
    /** `moving`, then `done`. */
    status: { type: String, required: true },
    /** Barriers processed so far (from the start of `barrierIds`). */
    done: { type: Number, default: 0 },
    migrated: { type: [String], default: [] },
    /** Barriers that could not be moved, and why (closed or changed meanwhile). */
    skipped: { type: [Schema.Types.Mixed], default: [] },
    finishedAt: { type: Date, default: null },
  },
  { collection: 'policy_moves', versionKey: false, minimize: false },
);
policyMoveSchema.index({ policyId: 1, from: 1, status: 1 });

const policySchema = new Schema(
  {
    _id: { type: String, required: true },
    policyId: { type: String, required: true },
    version: { type: Number, required: true },
    document: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  { collection: 'policies', versionKey: false },
);
policySchema.index({ policyId: 1, version: -1 }, { unique: true });
stampWritesOf(policySchema, 'directory');

const counterSchema = new Schema(
  { _id: { type: String, required: true }, value: { type: Number, required: true } },
  { collection: 'counters', versionKey: false },
);

/**
 * One document per part of the read model whose reads are cached in memory
 * (store/read-cache.ts): a new random token each time that part changes.
 */
const readStampSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'read_stamps', versionKey: false },
);

/** One document per number handed out by a sequence: `<sequence>:<n>`, unique by `_id`. */
const sequenceClaimSchema = new Schema(
  { _id: { type: String, required: true } },
  { collection: 'sequence_claims', versionKey: false },
);

const idempotencySchema = new Schema(
  {
    /** `<caller>:<Idempotency-Key>` */
    _id: { type: String, required: true },
    bodyHash: { type: String, required: true },
    resourceId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'idempotency_keys', versionKey: false },
);

const emailLogSchema = new Schema(
  {
    /** The message's idempotency key: a second send of the same message finds it here. */
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    to: { type: String, required: true },
    barrierId: { type: String, default: null },
    askId: { type: String, default: null },
    subject: { type: String, default: null },
    /**
     * `sending` (claimed, the transport call under way), `sent`, `rejected`
     * (refused for good), `deferred` (waits for the reader's daily digest),
     * `superseded` (a reminder overtaken by events before it went), `batched`
     * (it went, or was left out, in the combined email `batchKey`).
     */
    status: { type: String, required: true },
    /** The activity attempt holding the claim while `sending`. */
    claim: {
      type: { _id: false, activityKey: String, attempt: Number, until: Date },
      default: null,
    },
    attempts: { type: Number, default: 0 },
    transportId: { type: String, default: null },
    error: { type: String, default: null },
    /** For `deferred`: the digest that carried it. */
    digestKey: { type: String, default: null },
    /** For `batched`: the combined email that carried it (or left it out as gone by). */
    batchKey: { type: String, default: null },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
  },
  { collection: 'email_log', versionKey: false },
);
emailLogSchema.index({ to: 1, status: 1, createdAt: 1 });
emailLogSchema.index({ barrierId: 1, createdAt: 1 });

/**
 * Barrier emails waiting to be sent: written by the projection with the events
 * that call for them, sent by a worker beside the workflow, then deleted
 * (worker/email-outbox.ts). The email log still makes each message once.
 */
const emailOutboxSchema = new Schema(
  {
    /** `<barrier id>:<first event's seq>`: a retried projection finds it here. */
    _id: { type: String, required: true },
    barrierId: { type: String, required: true },
    workflowId: { type: String, required: true },
    /** The view and events the emails are planned and written from, as projected. */
    input: { type: Schema.Types.Mixed, default: null },
    /** Instead of `input`: one person's held emails to send together (a combined email). */
    batch: { type: Schema.Types.Mixed, default: null },
    /** When a worker may take it: the holder's lease, or the next try after a failure. */
    dueAt: { type: Date, required: true },
    /** Takes so far; a take is a compare-and-set on this. */
    attempts: { type: Number, required: true },
    error: { type: String, default: null },
    /** Refusals from a finished send, kept while reporting them to the workflow fails. */
    rejected: { type: Schema.Types.Mixed, default: null },
    /** The W3C trace context of the projection that queued it, so its send joins that trace (tracing on). */
    trace: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'email_outbox', versionKey: false, minimize: false },
);
emailOutboxSchema.index({ dueAt: 1 });

/**
 * Barrier emails held for a short window so that what happens together to one
 * person goes as one email (worker/email-outbox.ts, domain/notifications/coalesce.ts).
 */
const emailPendingSchema = new Schema(
  {
    /** The planned message's idempotency key. */
    _id: { type: String, required: true },
    to: { type: String, required: true },
    kind: { type: String, required: true },
    /** The barrier it is about, or… */
    barrierId: { type: String, default: null },
    /** …the Whitehall ask (an email to the ask's GMCA owner). */
    askId: { type: String, default: null },
    /** The workflow told of a refusal (the barrier's or the ask's). */
    workflowId: { type: String, required: true },
    /** What the message says (notify/templates.ts's BarrierMessageContext or AskMessageContext), as planned. */
    context: { type: Schema.Types.Mixed, required: true },
    /** The barrier's cycle when planned (its stage is in the context). */
    cycle: { type: Number, required: true },
    /** The earliest instant behind it (the deadline behind an escalation): outages are judged by it. */
    causeAt: { type: Date, required: true },
    /** Only the system acted behind it (timers, routing), no person. */
    bySystem: { type: Boolean, default: false },
    /** The end of its window: it is sent by then, with whatever else the person has held. */
    dueAt: { type: Date, required: true },
    /** The combined email (its outbox entry) it was given to; null while it waits. */
    batchKey: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'email_pending', versionKey: false, minimize: false },
);
emailPendingSchema.index({ to: 1, batchKey: 1 });
emailPendingSchema.index({ batchKey: 1, dueAt: 1 });

/**
 * Signs of life: `alive` (the last time any worker's outbox swept) and one
 * document per outage found at a start (`outage:<from>`), so emails for timers
 * that fired late can say when Golden Thread was unavailable.
 */
const workerPresenceSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, default: null },
    from: { type: Date, default: null },
    to: { type: Date, default: null },
  },
  { collection: 'worker_presence', versionKey: false },
);

const askSchema = new Schema(
  {
    _id: { type: String, required: true },
    reference: { type: String, required: true },
    title: { type: String, required: true },
    department: { type: String, required: true },
    ask: { type: String, required: true },
    createdBy: { type: String, required: true },
    owner: { type: { _id: false, email: String, name: String }, required: true },
    createdAt: { type: Date, required: true },
    status: { type: String, required: true },
    barrierIds: { type: [String], default: [] },
    submittedAt: { type: Date, default: null },
    dueAt: { type: Date, default: null },
    chasers: { type: Number, default: 0 },
    /** The working-time calendar of the ask's policy: its response due date is counted in it. */
    calendar: { type: String, default: null },
    /** How long the department has to respond once it is submitted (ISO 8601, in `calendar`). */
    responseTarget: { type: String, default: null },
    nextChaseAt: { type: Date, default: null },
    outcome: { type: String, default: null },
    response: { type: String, default: null },
    respondedAt: { type: Date, default: null },
    /** Computed from the bundled barriers at the last change. */
    evidence: { type: Schema.Types.Mixed, default: null },
    lastSeq: { type: Number, required: true },
    projectedAt: { type: Date, required: true },
  },
  { collection: 'asks', versionKey: false, minimize: false },
);
for (const filter of ['department', 'status', 'outcome', 'barrierIds']) {
  askSchema.index({ [filter]: 1, createdAt: -1 });
}
askSchema.index({ createdAt: -1 });
askSchema.index({ 'evidence.localities': 1, createdAt: -1 });
askSchema.index({ 'evidence.neighbourhoods': 1, createdAt: -1 });

/**
 * An ask on the open register: what GMCA chose to publish, as it was when
 * they published it (`record`, the public record the preview showed), and
 * every publication and withdrawal. `_id` is the ask's id.
 */
const publicationSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** `published` (on the register) or `withdrawn` (taken down; its page says when). */
    status: { type: String, required: true },
    /** The ask's last event when the record was made: what was previewed and published. */
    version: { type: Number, required: true },
    firstPublishedAt: { type: Date, required: true },
    publishedAt: { type: Date, required: true },
    withdrawnAt: { type: Date, default: null },
    /** The public record (services/open-register/public-ask.ts), nothing else. */
    record: { type: Schema.Types.Mixed, required: true },
    /** Each act: `published`, `updated`, `withdrawn`, by whom, when, at which version. */
    history: { type: [Schema.Types.Mixed], default: [] },
  },
  { collection: 'publications', versionKey: false, minimize: false },
);
publicationSchema.index({ status: 1, publishedAt: -1 });

export type BarrierDoc = InferSchemaType<typeof barrierSchema>;
export type TimelineDoc = InferSchemaType<typeof timelineSchema>;
export type LocalityDoc = InferSchemaType<typeof localitySchema>;
export type PersonDoc = InferSchemaType<typeof personSchema>;
export type PolicyDoc = InferSchemaType<typeof policySchema>;
export type EmailLogDoc = InferSchemaType<typeof emailLogSchema>;
export type AskDoc = InferSchemaType<typeof askSchema>;
export type PublicationDoc = InferSchemaType<typeof publicationSchema>;
export type EmailOutboxDoc = InferSchemaType<typeof emailOutboxSchema>;
export type EmailPendingDoc = InferSchemaType<typeof emailPendingSchema>;
export type SessionDoc = InferSchemaType<typeof sessionSchema>;
export type AuditDoc = InferSchemaType<typeof auditSchema>;
export type ImportDoc = InferSchemaType<typeof importSchema>;
export type ImportRowDoc = InferSchemaType<typeof importRowSchema>;
export type ImportedBarrierDoc = InferSchemaType<typeof importedBarrierSchema>;
export type PolicyMoveDoc = InferSchemaType<typeof policyMoveSchema>;

/** Every model, bound to one connection. */
export function createModels(conn: Connection) {
  return {
    Barrier: conn.model('Barrier', barrierSchema) as Model<BarrierDoc>,
    TimelineEvent: conn.model('TimelineEvent', timelineSchema) as Model<TimelineDoc>,
    BarrierPage: conn.model('BarrierPage', barrierPageSchema),
    DashboardDelta: conn.model('DashboardDelta', dashboardDeltaSchema),
    DashboardSnapshot: conn.model('DashboardSnapshot', dashboardSnapshotSchema),
    Locality: conn.model('Locality', localitySchema) as Model<LocalityDoc>,
    Person: conn.model('Person', personSchema) as Model<PersonDoc>,
    Policy: conn.model('Policy', policySchema) as Model<PolicyDoc>,
    Counter: conn.model('Counter', counterSchema),
    ReadStamp: conn.model('ReadStamp', readStampSchema),
    SequenceClaim: conn.model('SequenceClaim', sequenceClaimSchema),
    IdempotencyKey: conn.model('IdempotencyKey', idempotencySchema),
    EmailLog: conn.model('EmailLog', emailLogSchema) as Model<EmailLogDoc>,
    EmailOutbox: conn.model('EmailOutbox', emailOutboxSchema) as Model<EmailOutboxDoc>,
    EmailPending: conn.model('EmailPending', emailPendingSchema) as Model<EmailPendingDoc>,
    WorkerPresence: conn.model('WorkerPresence', workerPresenceSchema),
    Ask: conn.model('Ask', askSchema) as Model<AskDoc>,
    Publication: conn.model('Publication', publicationSchema) as Model<PublicationDoc>,
    Session: conn.model('Session', sessionSchema) as Model<SessionDoc>,
    AuditEntry: conn.model('AuditEntry', auditSchema) as Model<AuditDoc>,
    Follow: conn.model('Follow', followSchema),
    Import: conn.model('Import', importSchema) as Model<ImportDoc>,
    ImportRow: conn.model('ImportRow', importRowSchema) as Model<ImportRowDoc>,
    ImportedBarrier: conn.model(
      'ImportedBarrier',
      importedBarrierSchema,
    ) as Model<ImportedBarrierDoc>,
    PolicyMove: conn.model('PolicyMove', policyMoveSchema) as Model<PolicyMoveDoc>,
    ...createWebhookModels(conn),
  };
}
export type Models = ReturnType<typeof createModels>;
