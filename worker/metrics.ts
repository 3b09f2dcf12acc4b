/**
 * A worker's metrics: the figures read from the database when Prometheus
 * scrapes (the outbox, barriers open, the dashboard totals' fold), the sink
 * that counts workflows begun and failed, and the Temporal SDK's own metrics,
 * served with ours on the worker's `/metrics`.
 */
import { createServer } from 'node:net';
import { Runtime, type InjectedSinks } from '@temporalio/worker';
import type { Models } from '../store/models.ts';
import { readTotals } from '../store/dashboard-rollups.ts';
import {
  dashboardFoldLag,
  onScrape,
  outboxDepth,
  outboxOldestAge,
  recordWorkflowFailed,
  recordWorkflowStarted,
  setBarriersOpen,
  setMetricsEnabled,
} from '../observability/metrics/metrics.ts';
import { startMetricsServer, type MetricsServer } from '../observability/metrics/server.ts';
import type { Config } from '../config.ts';
import type { WorkflowMetricsSinks } from '../workflows/metrics-interceptor.ts';

/** How long figures read from the database are kept between scrapes. */
export const SCRAPE_CACHE_MS = 10_000;

/**
 * Reads the outbox's depth and oldest entry, the open barriers by stage and
 * locality (from the dashboard's totals, one snapshot and the deltas since),
 * and the oldest change not yet folded, at most every {@link SCRAPE_CACHE_MS}.
 * Returns a function that stops it.
 */
export function watchEngine(models: Models, everyMs = SCRAPE_CACHE_MS): () => void {
  return onScrape(async () => {
    const now = Date.now();
    const [depth, oldest, unfolded, totals] = await Promise.all([
      models.EmailOutbox.countDocuments(),
      models.EmailOutbox.find({}, { createdAt: 1 }).sort({ createdAt: 1 }).limit(1).lean(),
      // The oldest alone: a backlog of unfolded changes (a fold stopped for a while) is not read whole.
      models.DashboardDelta.find({ folded: false }, { at: 1 })
        .sort({ at: 1 })
        .limit(1)
        .lean<{ at: Date }[]>(),
      readTotals(models),
    ]);
    outboxDepth.set(depth);
    const first = oldest[0]?.createdAt;
    outboxOldestAge.set(first ? Math.max(0, now - first.getTime()) / 1000 : 0);
    const unfoldedSince = unfolded[0]?.at;
    dashboardFoldLag.set(unfoldedSince ? Math.max(0, now - unfoldedSince.getTime()) / 1000 : 0);
    if (totals) {
      const prefix = 'openAt|';
      const open = new Map<string, number>();
      for (const [k, n] of totals.counts)
        if (k.startsWith(prefix)) open.set(k.slice(prefix.length), n);
      setBarriersOpen(open);
    }
  }, everyMs);
}

/** The sink the workflows' metrics interceptor calls (workflows/metrics-interceptor.ts). */
export const workflowMetricsSinks: InjectedSinks<WorkflowMetricsSinks> = {
  workflowMetrics: {
    started: { fn: (info) => recordWorkflowStarted(info.workflowType), callDuringReplay: false },
    failed: { fn: (info) => recordWorkflowFailed(info.workflowType), callDuringReplay: false },
  },
};

/** A free TCP port on loopback. */
async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Installs the Temporal runtime with its Prometheus exporter on a loopback port
 * of its own (task latencies, slots, the sticky cache, poll failures), named
 * by Prometheus's conventions (`_total`, seconds); returns a function that
 * reads its text, to serve after ours. Before any connection: the runtime is
 * made once per process.
 */
export async function installTemporalMetrics(): Promise<() => Promise<string>> {
  const port = await freeLoopbackPort();
  Runtime.install({
    telemetryOptions: {
      metrics: {
        prometheus: {
          bindAddress: `127.0.0.1:${port}`,
          countersTotalSuffix: true,
          unitSuffix: true,
          useSecondsForDurations: true,
        },
      },
    },
  });
  return async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
      signal: AbortSignal.timeout(2_000),
    });
    return res.ok ? res.text() : '';
  };
}

/**
 * Serves a worker process's metrics (with the Temporal SDK's) on `port`, or,
 * with metrics off, turns counting off. Call before the worker connects to
 * Temporal. `npm start` serves the API's on the same listener (one process).
 */
export async function startWorkerMetrics(
  config: Config,
  models: Models,
  port: number,
  portVariable: string,
): Promise<MetricsServer | undefined> {
  setMetricsEnabled(config.metrics.enabled);
  if (!config.metrics.enabled) return undefined;
  const temporal = await installTemporalMetrics();
  const stop = watchEngine(models);
  const server = await startMetricsServer(
    { host: config.metrics.host, port, extra: temporal },
    portVariable,
  );
  return {
    url: server.url,
    close: async () => {
      stop();
      await server.close();
    },
  };
}
