/**
 * The metrics an operator scrapes, from real API and worker processes over
 * the real servers: each moves as the barrier it describes lives (a missed
 * deadline counts once, its escalation once, the requests under their route
 * templates), an SMTP server that stops grows the outbox and its oldest
 * email's age, and raising 500 barriers with their own titles and search
 * words adds no series.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signToken } from '../../auth/tokens.ts';
import { startSmtpSink, type SmtpSink } from '../../notify/smtp-sink.ts';
import { freePort } from '../../scripts/servers/process.ts';
import { leighRaiseBody } from '../support/api.ts';
import {
  dashboardExpressions,
  metricNames,
  promqlMetricNames,
  scrape,
  scrapeNames,
  value,
  type Scrape,
} from '../support/metrics.ts';
import { admin, localityLead } from '../support/people.ts';
import { ackSecondsPolicy } from '../support/policies.ts';
import { runScript, until, type RunningScript } from '../support/processes.ts';
import { addPolicy } from '../../store/policy-store.ts';
import { openTestStack, TEST_BASE_URL, type TestStack } from '../support/stack.ts';

const SECRET = 'metrics-test-secret-0123456789abcdef0123';
let stack: TestStack;
let smtp: SmtpSink;
let worker: RunningScript;
let api: RunningScript;
let apiUrl: string;
let apiMetrics: string;
let workerMetrics: string;
let token: string;

beforeAll(async () => {
  stack = await openTestStack('metrics');
  // The worker's own SMTP server, which one test stops.
  smtp = await startSmtpSink();
  // Missed at the neighbourhood in two seconds; nothing else falls due during the file.
  const policyFile = join(mkdtempSync(join(tmpdir(), 'gt-metrics-')), 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify(ackSecondsPolicy('metrics', { neighbourhood: 2, locality: 3600 })),
  );
  const [apiPort, apiMetricsPort, workerMetricsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const env = {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    MONGODB_URI: stack.mongodbUri,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    SMTP_URL: smtp.url,
    PUBLIC_BASE_URL: TEST_BASE_URL,
    AUTH_SECRET: SECRET,
    RATE_LIMIT_PER_MINUTE: '0',
    SLA_POLICY_FILE: policyFile,
    EMAIL_WINDOW_SECONDS: '0',
    METRICS_HOST: '127.0.0.1',
  };
  worker = runScript('worker/main.ts', { ...env, WORKER_METRICS_PORT: String(workerMetricsPort) });
  api = runScript('server/main.ts', {
    ...env,
    PORT: String(apiPort),
    METRICS_PORT: String(apiMetricsPort),
  });
  apiUrl = `http://127.0.0.1:${apiPort}`;
  apiMetrics = `http://127.0.0.1:${apiMetricsPort}/metrics`;
  workerMetrics = `http://127.0.0.1:${workerMetricsPort}/metrics`;
  await until('the worker', () => worker.output().includes('polling task queue'), 90_000);
  await until(
    'the API',
    async () => (await fetch(`${apiUrl}/readyz`).catch(() => null))?.status === 200,
    60_000,
  );
  token = await signToken(SECRET, localityLead('wigan'));
}, 120_000);

afterAll(async () => {
  for (const p of [api, worker]) if (p && p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.all([api?.exited, worker?.exited]);
  await smtp?.close();
  await stack?.close();
});

const call = (method: string, path: string, body?: unknown) =>
  fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });

async function raise(title: string): Promise<string> {
  const res = await call('POST', '/api/v1/barriers', leighRaiseBody(title));
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Scrapes `url` until `check` holds of the scrape, which it returns. */
async function scrapeUntil(what: string, url: string, check: (s: Scrape) => boolean, ms = 30_000) {
  let last: Scrape = new Map();
  await until(
    what,
    async () => {
      last = await scrape(url);
      return check(last);
    },
    ms,
  );
  return last;
}

describe('metrics during a barrier’s life', () => {
  it('serves only /metrics, apart from the site', async () => {
    expect((await fetch(apiMetrics.replace('/metrics', '/'))).status).toBe(404);
    expect((await fetch(`${apiUrl}/metrics`)).status).toBe(404);
    const res = await fetch(apiMetrics);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const names = metricNames(await scrape(apiMetrics));
    // Node's process metrics on both.
    expect(names).toContain('process_cpu_seconds_total');
    expect(names).toContain('nodejs_eventloop_lag_seconds');
    expect(metricNames(await scrape(workerMetrics))).toContain('process_resident_memory_bytes');
  });

  it('counts a missed deadline once, its escalation once, and the requests by route template', async () => {
    const [w0, a0] = [await scrape(workerMetrics), await scrape(apiMetrics)];
    const id = await raise('Metrics: a barrier nobody acknowledges');
    const w1 = await scrapeUntil(
      'the escalation counted',
      workerMetrics,
      (s) =>
        value(s, 'goldenthread_escalations_total', { from: 'neighbourhood', to: 'locality' }) >
        value(w0, 'goldenthread_escalations_total', { from: 'neighbourhood', to: 'locality' }),
    );
    const delta = (name: string, labels: Record<string, string> = {}) =>
      value(w1, name, labels) - value(w0, name, labels);
    expect(delta('goldenthread_deadlines_missed_total', { stage: 'neighbourhood' })).toBe(1);
    expect(delta('goldenthread_deadlines_missed_total')).toBe(1);
    expect(
      delta('goldenthread_escalations_total', {
        from: 'neighbourhood',
        to: 'locality',
        automatic: 'true',
      }),
    ).toBe(1);
    // The escalation was recorded within seconds of the deadline.
    expect(delta('goldenthread_escalation_delay_seconds_count')).toBe(1);
    expect(delta('goldenthread_escalation_delay_seconds_bucket', { le: '30' })).toBe(1);
    expect(delta('goldenthread_workflows_started_total', { workflow: 'barrierWorkflow' })).toBe(1);
    expect(value(w1, 'goldenthread_workflows_failed_total')).toBe(0);
    // Raised, routed, breached, escalated, routed again: each written once, each with its lag.
    expect(delta('goldenthread_projected_events_total')).toBeGreaterThanOrEqual(4);
    expect(delta('goldenthread_projection_lag_seconds_count')).toBe(
      delta('goldenthread_projected_events_total'),
    );
    // Nothing to do with this barrier moved the deadline counter again afterwards.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(value(await scrape(workerMetrics), 'goldenthread_deadlines_missed_total')).toBe(
      value(w1, 'goldenthread_deadlines_missed_total'),
    );

    // Emails: the assignment and the escalation's went, counted by kind.
    const w2 = await scrapeUntil(
      'the emails counted',
      workerMetrics,
      (s) =>
        value(s, 'goldenthread_emails_total', { kind: 'escalated', outcome: 'sent' }) >
        value(w0, 'goldenthread_emails_total', { kind: 'escalated', outcome: 'sent' }),
    );
    expect(
      value(w2, 'goldenthread_emails_total', { kind: 'assigned', outcome: 'sent' }) -
        value(w0, 'goldenthread_emails_total', { kind: 'assigned', outcome: 'sent' }),
    ).toBeGreaterThanOrEqual(1);
    // Open barriers at the locality stage in Wigan, from the dashboard's totals.
    await scrapeUntil(
      'the barrier open at the locality',
      workerMetrics,
      (s) => value(s, 'goldenthread_barriers_open', { stage: 'locality', locality: 'wigan' }) >= 1,
    );

    // The API: its requests under their templates, never the barrier's id; the read cache.
    for (let i = 0; i < 3; i++)
      expect((await call('GET', `/api/v1/barriers/${id}`)).status).toBe(200);
    expect((await call('GET', `/api/v1/no-such-thing/${id}`)).status).toBe(404);
    expect((await fetch(`${apiUrl}/nowhere/${id}`)).status).toBe(404);
    const a1 = await scrape(apiMetrics);
    const apiDelta = (name: string, labels: Record<string, string>) =>
      value(a1, name, labels) - value(a0, name, labels);
    expect(
      apiDelta('goldenthread_http_requests_total', {
        route: '/api/v1/barriers',
        method: 'POST',
        status_class: '2xx',
      }),
    ).toBe(1);
    expect(
      apiDelta('goldenthread_http_requests_total', {
        route: '/api/v1/barriers/:id',
        method: 'GET',
        status_class: '2xx',
      }),
    ).toBe(3);
    expect(
      apiDelta('goldenthread_http_request_duration_seconds_count', {
        route: '/api/v1/barriers/:id',
        method: 'GET',
      }),
    ).toBe(3);
    // The two made-up paths: counted under a fixed label (their mount, or unmatched), not their path.
    expect(apiDelta('goldenthread_http_requests_total', { status_class: '4xx' })).toBe(2);
    expect(
      apiDelta('goldenthread_http_requests_total', { route: '(unmatched)', status_class: '4xx' }),
    ).toBe(1);
    const routes = new Set(
      [...a1.keys()].flatMap((k) => /route="([^"]*)"/.exec(k)?.slice(1) ?? []),
    );
    for (const route of routes) expect(route).toMatch(/^(\(unmatched\)|\/[A-Za-z0-9/:._*-]*)$/);
    expect([...a1.keys()].filter((k) => k.includes(id))).toEqual([]);
    expect(
      apiDelta('goldenthread_read_cache_lookups_total', { cache: 'barriers', result: 'hit' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      apiDelta('goldenthread_read_cache_lookups_total', { result: 'miss' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("serves the Temporal SDK's worker metrics with the worker's own", async () => {
    const s = await scrape(workerMetrics);
    const names = metricNames(s);
    for (const name of [
      'temporal_worker_task_slots_available',
      'temporal_sticky_cache_size',
      'temporal_workflow_task_execution_latency_seconds',
      'temporal_num_pollers',
    ])
      expect(names).toContain(name);
    expect(value(s, 'temporal_workflow_task_queue_poll_succeed_total')).toBeGreaterThan(0);
  });
});

/**
 * Metrics of the Temporal SDK (1.24, Prometheus exporter with `_total` and
 * seconds) that a worker serves only once what they count has happened, as a
 * real worker served them; the dashboard and the alerts may use these too.
 */
const TEMPORAL_METRICS_ON_FIRST_USE = [
  'temporal_activity_schedule_to_start_latency_seconds_bucket',
  'temporal_activity_execution_latency_seconds_bucket',
  'temporal_sticky_cache_miss_total',
  'temporal_workflow_task_queue_poll_empty_total',
  'temporal_long_request_failure_total',
];

describe('the dashboard and the alerts', () => {
  it('use only metrics that a real API or worker serves', async () => {
    const served = new Set([
      ...(await scrapeNames(apiMetrics)),
      ...(await scrapeNames(workerMetrics)),
    ]);
    const dashboard: unknown = JSON.parse(
      readFileSync(new URL('../../deploy/grafana/golden-thread.json', import.meta.url), 'utf8'),
    );
    const rules = readFileSync(
      new URL('../../deploy/prometheus/alerts.yml', import.meta.url),
      'utf8',
    );
    const alertExprs = [...rules.matchAll(/expr: (?:\|\n)?((?:.|\n)*?)\n\s+(?:for|labels):/g)].map(
      (m) => m[1]!,
    );
    expect(alertExprs.length).toBeGreaterThanOrEqual(8);
    // The Temporal SDK emits some only once they happen (an activity, a failed poll).
    for (const name of TEMPORAL_METRICS_ON_FIRST_USE) served.add(name);
    // `up` is Prometheus's own, for each target it scrapes.
    const used = new Set(
      [...dashboardExpressions(dashboard), ...alertExprs].flatMap(promqlMetricNames),
    );
    used.delete('up');
    expect([...used].filter((n) => !served.has(n))).toEqual([]);
  });
});

describe('long work', () => {
  it("counts an import's rows and a policy move's barriers, done and remaining", async () => {
    const adminToken = await signToken(SECRET, admin());
    const asAdmin = (method: string, path: string, body?: string, type = 'application/json') =>
      fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body ? { 'content-type': type } : {}),
        },
        body,
      });
    const w0 = await scrape(workerMetrics);

    // An import of a three-row log, as an admin would upload and start it.
    const log = [
      'Title,Description,Locality,Neighbourhood,Category,Focus area,People affected,Raised on,Status,Resolution,Owner email,Raised by',
      ...[1, 2, 3].map(
        (i) =>
          `Metrics import ${i},From the old log,Wigan,Leigh,Data sharing,,${i},0${i}/03/2026,,,,`,
      ),
    ].join('\r\n');
    const checked = await asAdmin('POST', '/api/v1/imports?filename=metrics.csv', log, 'text/csv');
    expect(checked.status).toBe(201);
    const importId = ((await checked.json()) as { id: string }).id;
    expect((await asAdmin('POST', `/api/v1/imports/${importId}/start`)).status).toBe(202);
    await until(
      'the import done',
      async () =>
        ((await (await asAdmin('GET', `/api/v1/imports/${importId}`)).json()) as { status: string })
          .status === 'done',
      60_000,
    );
    const w1 = await scrape(workerMetrics);
    expect(
      value(w1, 'goldenthread_import_rows_total') - value(w0, 'goldenthread_import_rows_total'),
    ).toBe(3);
    expect(value(w1, 'goldenthread_import_rows_remaining')).toBe(0);

    // Every open barrier moved onto a version of the policy with nothing due for hours.
    await addPolicy(
      stack.store.models,
      {
        ...ackSecondsPolicy('metrics', { neighbourhood: 7200, locality: 7200 }),
        version: 2,
      },
      'metrics test',
    );
    const started = await asAdmin(
      'POST',
      '/api/v1/policies/moves',
      JSON.stringify({ policyId: 'metrics', from: 1, to: 2 }),
    );
    expect(started.status).toBe(202);
    const move = (await started.json()) as { id: string; total: number };
    // The imported barriers and the one the first test escalated, at least.
    expect(move.total).toBeGreaterThanOrEqual(4);
    let done: { status: string; done: number } = { status: 'moving', done: 0 };
    await until(
      'the move done',
      async () => {
        done = (await (
          await asAdmin('GET', `/api/v1/policies/moves/${move.id}`)
        ).json()) as typeof done;
        return done.status === 'done';
      },
      90_000,
    );
    expect(done.done).toBe(move.total);
    const w2 = await scrape(workerMetrics);
    expect(
      value(w2, 'goldenthread_bulk_move_barriers_total') -
        value(w1, 'goldenthread_bulk_move_barriers_total'),
    ).toBe(move.total);
    expect(value(w2, 'goldenthread_bulk_move_barriers_remaining')).toBe(0);
  });
});

describe('cardinality', () => {
  it('adds no series for 500 barriers with their own titles and search words', async () => {
    // From here on, barriers take a version of the policy with nothing due for hours.
    await addPolicy(
      stack.store.models,
      { ...ackSecondsPolicy('metrics', { neighbourhood: 7200, locality: 7200 }), version: 3 },
      'test',
    );
    const word = (i: number) => `zq${i.toString(36)}x${(i * 7919).toString(36)}`;
    /** Raises barriers from..to-1, each with its own words, then searches for each word and reads each. */
    const lifeOf = async (from: number, to: number) => {
      let next = from;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = next++; i < to; i = next++) {
            const id = await raise(`Cardinality ${word(i)} blocks pooled budgets`);
            expect((await call('GET', `/api/v1/barriers?q=${word(i)}`)).status).toBe(200);
            expect((await call('GET', `/api/v1/barriers/${id}`)).status).toBe(200);
          }
        }),
      );
    };
    const seriesNow = async () => [
      ...(await scrape(apiMetrics)).keys(),
      ...[...(await scrape(workerMetrics)).keys()].map((k) => `worker ${k}`),
    ];
    await lifeOf(0, 20);
    const s0 = await seriesNow();
    await lifeOf(20, 260);
    const s1 = await seriesNow();
    await lifeOf(260, 500);
    const s2 = await seriesNow();
    const added = (from: string[], to: string[]) => to.filter((k) => !from.includes(k));
    // Ours, with every label they have, and Node's process figures are the same series after
    // 20 barriers as after 500. (Families that first appear on first use, such as a garbage
    // collection of another kind or a Temporal poll that came back empty, are left out here;
    // that none of them carries a barrier's words or id is checked below.)
    const steady = (keys: string[]) =>
      keys.filter((k) => !/^(worker )?(nodejs_gc_|temporal_)/.test(k));
    expect(added(steady(s0), steady(s2))).toEqual([]);
    expect(steady(s2).length).toBe(steady(s1).length);
    const text =
      (await (await fetch(apiMetrics)).text()) + (await (await fetch(workerMetrics)).text());
    expect(text).not.toContain(word(300));
    expect(text).not.toMatch(/GT-\d/);
  }, 240_000);
});

describe('an SMTP server that stops', () => {
  it('grows the outbox and the age of its oldest email, and counts the failed sends', async () => {
    const before = await scrape(workerMetrics);
    expect(value(before, 'goldenthread_email_outbox_depth')).toBe(0);
    await smtp.close();
    await raise('Metrics: raised while the relay is down');
    await raise('Metrics: raised while the relay is still down');
    const first = await scrapeUntil(
      'the outbox growing',
      workerMetrics,
      (s) => value(s, 'goldenthread_email_outbox_depth') >= 2,
    );
    const age = value(first, 'goldenthread_email_outbox_oldest_age_seconds');
    // Figures read from the database are kept 10 s: the next read is older.
    const later = await scrapeUntil(
      'the oldest email ageing',
      workerMetrics,
      (s) => value(s, 'goldenthread_email_outbox_oldest_age_seconds') > age,
      20_000,
    );
    expect(value(later, 'goldenthread_email_outbox_oldest_age_seconds')).toBeGreaterThan(age + 5);
    expect(value(later, 'goldenthread_email_outbox_depth')).toBeGreaterThanOrEqual(2);
    expect(
      value(later, 'goldenthread_emails_total', { kind: 'assigned', outcome: 'failed' }) -
        value(before, 'goldenthread_emails_total', { kind: 'assigned', outcome: 'failed' }),
    ).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
