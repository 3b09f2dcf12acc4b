/**
 * Golden Thread's Prometheus metrics: one registry per process, the metrics
 * it holds, and the small functions the engine calls to move them.
 *
 * Every label takes its values from a fixed list (a stage, one of the ten
 * localities, an email kind, a status class, a route template), so the number
 * of series never grows with barriers, people or search words. Counting costs
 * a map lookup and an addition: nothing here touches the database. Figures
 * that need the database (the outbox's depth, barriers open) are read when
 * Prometheus scrapes, and kept a few seconds (worker/metrics.ts).
 *
 * `METRICS_ENABLED=false` turns every call here into a no-op and starts no
 * listener: the benchmark measures what metrics cost that way.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LOCALITIES, STAGES } from '../../domain/reference-data.ts';
import { MESSAGE_KINDS } from '../../domain/notifications/messages.ts';

/** Every name we define starts with this. */
export const PREFIX = 'goldenthread_';

/** This process's metrics; served by {@link startMetricsServer} (./server.ts). */
export const registry = new Registry();

let enabled = true;
let defaultsCollected = false;

/**
 * Turns metrics on or off for this process (from METRICS_ENABLED), and on
 * first enabling, collects Node's process metrics (CPU, memory, event loop lag,
 * garbage collection, open handles) too.
 */
export function setMetricsEnabled(on: boolean): void {
  enabled = on;
  if (on && !defaultsCollected) {
    defaultsCollected = true;
    collectDefaultMetrics({ register: registry });
  }
}

/** True unless METRICS_ENABLED turned metrics off. */
export const metricsEnabled = (): boolean => enabled;

const registers = [registry];

/** A label value from a fixed list, or `other`: never an unbounded value. */
function bounded<T extends string>(list: readonly T[], value: unknown): T | 'other' {
  return list.includes(value as T) ? (value as T) : 'other';
}
const stageLabel = (s: unknown) => bounded(STAGES, s);
const localityLabel = (l: unknown) => bounded(LOCALITIES, l);
const kindLabel = (k: unknown) => bounded([...MESSAGE_KINDS, 'combined'], k);

// ---- HTTP -------------------------------------------------------------------

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export const httpRequests = new Counter({
  name: `${PREFIX}http_requests_total`,
  help: 'HTTP requests answered, by route template, method and status class (2xx, 3xx, 4xx, 5xx).',
  labelNames: ['route', 'method', 'status_class'] as const,
  registers,
});

export const httpDuration = new Histogram({
  name: `${PREFIX}http_request_duration_seconds`,
  help: 'Time from a request arriving to its answer finishing, by route template and method.',
  labelNames: ['route', 'method'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

/** Counts one answered request; `route` must already be a template (./http.ts). */
export function recordHttpRequest(
  route: string,
  method: string,
  status: number,
  seconds: number,
): void {
  if (!enabled) return;
  const m = bounded(METHODS, method);
  httpRequests.inc({ route, method: m, status_class: `${Math.floor(status / 100)}xx` });
  httpDuration.observe({ route, method: m }, seconds);
}

// ---- the engine -------------------------------------------------------------

export const deadlinesMissed = new Counter({
  name: `${PREFIX}deadlines_missed_total`,
  help: 'SLA deadlines missed (breached events recorded), by the stage the barrier was at.',
  labelNames: ['stage'] as const,
  registers,
});

export const escalations = new Counter({
  name: `${PREFIX}escalations_total`,
  help: 'Barriers escalated, by the stage left and the stage reached; automatic="true" when a missed deadline moved it.',
  labelNames: ['from', 'to', 'automatic'] as const,
  registers,
});

export const escalationDelay = new Histogram({
  name: `${PREFIX}escalation_delay_seconds`,
  help: 'Time from a missed deadline to its escalation being written to the read model.',
  buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600],
  registers,
});

export const workflowsStarted = new Counter({
  name: `${PREFIX}workflows_started_total`,
  help: 'Workflows this worker began running (not replays), by workflow type.',
  labelNames: ['workflow'] as const,
  registers,
});

export const workflowsFailed = new Counter({
  name: `${PREFIX}workflows_failed_total`,
  help: 'Workflows that ended failed on this worker, by workflow type.',
  labelNames: ['workflow'] as const,
  registers,
});

/** Gauges read from the dashboard's totals at scrape time (worker/metrics.ts). */
export const barriersOpen = new Gauge({
  name: `${PREFIX}barriers_open`,
  help: "Open barriers, by stage and locality (from the dashboard's totals).",
  labelNames: ['stage', 'locality'] as const,
  registers,
});

const WORKFLOW_TYPES = [
  'barrierWorkflow',
  'askWorkflow',
  'importWorkflow',
  'dailyDigestWorkflow',
] as const;
const workflowLabel = (w: unknown) => bounded(WORKFLOW_TYPES, w);

/** A workflow began (first run on this worker, never a replay). */
export function recordWorkflowStarted(workflowType: string): void {
  if (enabled) workflowsStarted.inc({ workflow: workflowLabel(workflowType) });
}

/** A workflow ended failed. */
export function recordWorkflowFailed(workflowType: string): void {
  if (enabled) workflowsFailed.inc({ workflow: workflowLabel(workflowType) });
}

// ---- the read model ----------------------------------------------------------

export const projectionLag = new Histogram({
  name: `${PREFIX}projection_lag_seconds`,
  help: 'Time from a barrier event happening to the projection writing it to the read model.',
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers,
});

export const projectedEvents = new Counter({
  name: `${PREFIX}projected_events_total`,
  help: 'Barrier timeline events written to the read model.',
  registers,
});

export const readCacheLookups = new Counter({
  name: `${PREFIX}read_cache_lookups_total`,
  help: "Reads asked of the API's read cache, by the stamp they depend on (barriers, asks, directory) and result (hit or miss).",
  labelNames: ['cache', 'result'] as const,
  registers,
});

/** One read asked of the read cache (store/read-cache.ts). */
export function recordCacheLookup(cache: string, hit: boolean): void {
  if (enabled)
    readCacheLookups.inc({
      cache: bounded(['barriers', 'asks', 'directory'], cache),
      result: hit ? 'hit' : 'miss',
    });
}

/**
 * What a projection just wrote (only events new to the read model, so a
 * retried projection counts nothing twice): deadlines missed, escalations and
 * how long after the deadline they were recorded, and the projection's lag.
 */
export function recordProjectedEvents(
  events: readonly { type: string; at: number; stage: string; details: Record<string, unknown> }[],
  now = Date.now(),
): void {
  if (!enabled || events.length === 0) return;
  projectedEvents.inc(events.length);
  let missedAt: number | null = null;
  for (const e of events) {
    projectionLag.observe(Math.max(0, now - e.at) / 1000);
    if (e.type === 'breached') {
      deadlinesMissed.inc({ stage: stageLabel(e.stage) });
      const due = e.details.dueAt;
      missedAt = typeof due === 'number' ? due : e.at;
    } else if (e.type === 'escalated') {
      const automatic = e.details.automatic === true;
      escalations.inc({
        from: stageLabel(e.details.from),
        to: stageLabel(e.details.to),
        automatic: String(automatic),
      });
      if (automatic && missedAt !== null)
        escalationDelay.observe(Math.max(0, now - missedAt) / 1000);
    }
  }
}

// ---- emails ------------------------------------------------------------------

export const emails = new Counter({
  name: `${PREFIX}emails_total`,
  help: 'Emails handed to the transport, by kind (combined: several messages as one) and outcome: sent, refused (for good: a bad address) or failed (to be tried again).',
  labelNames: ['kind', 'outcome'] as const,
  registers,
});

/** One email's send: accepted, refused for good, or failed (retried later). */
export function recordEmail(kind: string, outcome: 'sent' | 'refused' | 'failed'): void {
  if (enabled) emails.inc({ kind: kindLabel(kind), outcome });
}

export const outboxDepth = new Gauge({
  name: `${PREFIX}email_outbox_depth`,
  help: 'Barrier email entries in the outbox not yet sent.',
  registers,
});

export const outboxOldestAge = new Gauge({
  name: `${PREFIX}email_outbox_oldest_age_seconds`,
  help: 'Age of the oldest unsent outbox entry (0 when the outbox is empty).',
  registers,
});

// ---- the dashboard's totals ----------------------------------------------------

export const dashboardFoldLag = new Gauge({
  name: `${PREFIX}dashboard_fold_lag_seconds`,
  help: "Age of the oldest change to the dashboard's totals not yet folded into a snapshot (0: none waiting).",
  registers,
});

// ---- imports and bulk moves -------------------------------------------------------

export const importRows = new Counter({
  name: `${PREFIX}import_rows_total`,
  help: 'Rows of barrier imports made into barriers.',
  registers,
});

export const importRowsRemaining = new Gauge({
  name: `${PREFIX}import_rows_remaining`,
  help: 'Rows of the imports under way on this worker still to make.',
  registers,
});

export const bulkMoveBarriers = new Counter({
  name: `${PREFIX}bulk_move_barriers_total`,
  help: 'Barriers moved onto another policy version by bulk moves.',
  registers,
});

export const bulkMoveBarriersRemaining = new Gauge({
  name: `${PREFIX}bulk_move_barriers_remaining`,
  help: 'Barriers of the bulk policy moves under way in this process still to move.',
  registers,
});

/** Rows left per import under way: the gauge is their sum, and an import's finishing removes it. */
const importsRemaining = new Map<string, number>();

/** An import made `done` more rows and has `remaining` left (0 when it has finished). */
export function recordImportProgress(importId: string, done: number, remaining: number): void {
  if (!enabled) return;
  if (done > 0) importRows.inc(done);
  if (remaining > 0) importsRemaining.set(importId, remaining);
  else importsRemaining.delete(importId);
  importRowsRemaining.set([...importsRemaining.values()].reduce((a, b) => a + b, 0));
}

const movesRemaining = new Map<string, number>();

/**
 * A bulk move of open barriers onto a policy version moved `done` more and
 * has `remaining` left (0 when finished). `moveId` tells moves at once apart.
 */
export function recordBulkMoveProgress(done: number, remaining: number, moveId = 'move'): void {
  if (!enabled) return;
  if (done > 0) bulkMoveBarriers.inc(done);
  if (remaining > 0) movesRemaining.set(moveId, remaining);
  else movesRemaining.delete(moveId);
  bulkMoveBarriersRemaining.set([...movesRemaining.values()].reduce((a, b) => a + b, 0));
}

/** Sets the open-barrier gauges from `<locality>|<stage>` counts; labels not given drop to 0. */
export function setBarriersOpen(byLocalityAndStage: ReadonlyMap<string, number>): void {
  for (const locality of LOCALITIES)
    for (const stage of STAGES)
      barriersOpen.set(
        { stage, locality },
        Math.max(0, byLocalityAndStage.get(`${locality}|${stage}`) ?? 0),
      );
}

export { localityLabel, stageLabel };

// ---- figures read at scrape time ----------------------------------------------------

const collectors = new Set<() => Promise<void>>();

/**
 * Runs `collect` (which sets gauges from the database) when Prometheus
 * scrapes, at most once every `everyMs`: scrapes in between, or at once, share
 * its last run. A failed run keeps the gauges as they were and is tried again
 * on the next scrape. Returns a function that stops it.
 */
export function onScrape(collect: () => Promise<void>, everyMs: number): () => void {
  let last = 0;
  let running: Promise<void> | undefined;
  const run = async () => {
    if (Date.now() - last < everyMs) return;
    running ??= collect()
      .then(() => {
        last = Date.now();
      })
      .catch(() => undefined)
      .finally(() => (running = undefined));
    await running;
  };
  collectors.add(run);
  return () => collectors.delete(run);
}

/** Brings the scrape-time gauges up to date (./server.ts calls it before each scrape). */
export async function collectForScrape(): Promise<void> {
  await Promise.all([...collectors].map((c) => c()));
}
