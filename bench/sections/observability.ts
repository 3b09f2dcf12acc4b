/**
 * What operability costs: the lifecycle (barriers raised through the API,
 * routed and projected) and the list (GET /barriers) on three stacks side by
 * side in one run, each a worker and an API process of its own on the same
 * servers: metrics off (METRICS_ENABLED=false), metrics on (the default), and
 * metrics with every request and workflow traced (100 % sampling) into a
 * Jaeger started here. Each is measured three times, in turn, and the median
 * of each figure kept: one stall, or one lucky run of the baseline (a list's
 * p50 moved by a fifth between two runs of the same stack here), then decides
 * nothing. The list is read on a store at rest, as the API section reads it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { ensureJaeger, startJaeger } from '../../scripts/servers/jaeger.ts';
import { workflowSpanSinks } from '../../observability/tracing/temporal.ts';
import { writeWorkflowBundle } from '../../worker/bundle.ts';
import { workflowMetricsSinks } from '../../worker/metrics.ts';
import { perSecond, round2, say, type Harness } from '../lib/harness.ts';
import { closedLoop, cpuMeter, percentiles } from '../lib/stats.ts';

interface Measured {
  raisesPerS: number;
  listP50: number;
  listP99: number;
  /** CPU milliseconds per list read, by process. */
  listCpu: Record<string, number>;
}

/** Throughput lost going from `from` to `to`, in per cent (negative: none measurable). */
const costPct = (from: number, to: number) => round2(((from - to) / from) * 100);
/** Time added going from `from` to `to`, in per cent (negative: none measurable). */
const addedPct = (from: number, to: number) => round2(((to - from) / from) * 100);

export async function measureObservability(h: Harness): Promise<void> {
  const n = Math.max(60, Math.round(h.sizes.throughput / 2));
  // Enough reads that a traced run sends its spans while they run: the span
  // processor sends a batch every 512 spans (or 5 s), and a read makes one or two.
  const reads = h.sizes.requests;
  let tracingEnv: Record<string, string> | null = null;
  let queryUrl = '';
  let jaegerPid: number | undefined;
  try {
    await ensureJaeger(h.cacheDir);
    const jaeger = await startJaeger({ cacheDir: h.cacheDir, dataDir: h.dataDir });
    h.onStop(() => jaeger.process.stop());
    queryUrl = jaeger.queryUrl;
    jaegerPid = jaeger.process.child.pid;
    tracingEnv = {
      OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpHttpUrl,
      OTEL_TRACES_SAMPLER: 'always_on',
    };
  } catch (err) {
    say(`no Jaeger (${(err as Error).message.split('\n')[0]}): tracing is left out`);
  }
  const configs: { label: string; env: Record<string, string>; traced?: boolean }[] = [
    { label: 'metrics-off', env: { METRICS_ENABLED: 'false' } },
    { label: 'metrics-on', env: { METRICS_ENABLED: 'true' } },
    ...(tracingEnv
      ? [{ label: 'traced', env: { METRICS_ENABLED: 'true', ...tracingEnv }, traced: true }]
      : []),
  ];
  const runs = new Map<string, Measured[]>();
  for (const round of [1, 2, 3]) {
    for (const c of configs) {
      const stack = await h.stackWith(`${c.label}-${round}`, c.env, { tracedBundle: c.traced });
      try {
        // Warm: the first raises and reads pay for loading and the caches.
        await closedLoop(10, 5, (i) => stack.post('/api/v1/barriers', h.lead, h.raiseBody(i)));
        const raised = await closedLoop(
          n,
          h.sizes.concurrency,
          (i) => stack.post('/api/v1/barriers', h.lead, h.raiseBody(i)),
          (d) => say(`${c.label} (round ${round}) raises: ${d}/${n}`),
        );
        // The list measured as the API section measures it: on a store at rest, not
        // beside the worker still projecting and emailing what was just raised.
        await settled(h);
        const cpu = await cpuMeter(
          {
            API: stack.pids.api,
            worker: stack.pids.worker,
            'bench clients': process.pid,
            FerretDB: h.pids.ferret,
            ...(c.traced ? { Jaeger: jaegerPid } : {}),
          },
          { PostgreSQL: h.pids.postgres },
        );
        const listed = await closedLoop(reads, h.sizes.readers, () =>
          stack.get('/api/v1/barriers?locality=wigan&limit=25', h.admin),
        );
        const listCpu = Object.fromEntries(
          Object.entries(await cpu()).flatMap(([k, ms]) =>
            ms === null ? [] : [[k, round2(ms / reads)] as const],
          ),
        );
        const list = percentiles(listed.latencies);
        const m: Measured = {
          raisesPerS: perSecond(n, raised.elapsedMs),
          listP50: list.p50,
          listP99: list.p99,
          listCpu,
        };
        say(
          `${c.label} (round ${round}): ${m.raisesPerS} raises/s, list p50 ${m.listP50} ms, p99 ${m.listP99} ms; ` +
            `CPU per read: ${Object.entries(listCpu)
              .map(([k, ms]) => `${k} ${ms} ms`)
              .join(', ')}`,
        );
        runs.set(c.label, [...(runs.get(c.label) ?? []), m]);
      } finally {
        await stack.stop();
      }
    }
  }
  const median = (label: string): Measured | undefined => {
    const all = runs.get(label);
    if (!all) return undefined;
    const mid = (f: (m: Measured) => number) =>
      all.map(f).sort((a, b) => a - b)[(all.length - 1) >> 1]!;
    return {
      raisesPerS: mid((m) => m.raisesPerS),
      listP50: mid((m) => m.listP50),
      listP99: mid((m) => m.listP99),
      listCpu: Object.fromEntries(
        Object.keys(all[0]!.listCpu).map((k) => [k, mid((m) => m.listCpu[k] ?? 0)]),
      ),
    };
  };
  const off = median('metrics-off')!;
  const on = median('metrics-on')!;
  const traced = median('traced');
  const rows = (label: string, m: Measured) => [
    { what: `barriers raised through the API, ${label}`, value: m.raisesPerS, unit: '/s' },
    { what: `GET /barriers (25 a page), ${label}, p50`, value: m.listP50, unit: 'ms' },
    { what: `GET /barriers (25 a page), ${label}, p99`, value: m.listP99, unit: 'ms' },
    {
      what: `CPU per list read, ${label} (${Object.entries(m.listCpu)
        .map(([k, ms]) => `${k} ${ms}`)
        .join(', ')})`,
      value: round2(Object.values(m.listCpu).reduce((a, b) => a + b, 0)),
      unit: 'ms',
    },
  ];
  h.record({
    name: 'Cost of metrics',
    rows: [
      ...rows('metrics off', off),
      ...rows('metrics on', on),
      {
        what: 'raises: cost of metrics (goal under 5 %)',
        value: costPct(off.raisesPerS, on.raisesPerS),
        unit: '%',
      },
      {
        what: 'list p50: cost of metrics (goal under 5 %)',
        value: addedPct(off.listP50, on.listP50),
        unit: '%',
      },
    ],
    ratio: {
      what: 'raises per second, metrics on / off',
      value: round2(on.raisesPerS / off.raisesPerS),
      target: 0.95,
    },
  });
  if (!traced) return;
  const sandbox = await sandboxCost(h);
  say(
    `replaying a barrier's history: ${sandbox.plain} ms of CPU untraced, ${sandbox.traced} ms traced`,
  );
  // What a traced request makes, for the why of the cost (both processes' spans).
  const census = {
    raise: await spanCensus(queryUrl, 'POST /api/v1/barriers'),
    list: await spanCensus(queryUrl, 'GET /api/v1/barriers'),
  };
  for (const [what, c] of Object.entries(census))
    say(`spans of a traced ${what} (${c.traces} traces): ${c.spans} on average: ${c.byName}`);
  h.record({
    name: 'Cost of tracing (every request and workflow, 100 % sampled)',
    rows: [
      ...rows('metrics and tracing', traced),
      {
        what: 'raises: cost of tracing over metrics off (goal under 15 %)',
        value: costPct(off.raisesPerS, traced.raisesPerS),
        unit: '%',
      },
      {
        what: 'list p50: cost of tracing over metrics off (goal under 15 %)',
        value: addedPct(off.listP50, traced.listP50),
        unit: '%',
      },
      {
        what: "CPU to replay a barrier's history in the workflow sandbox, untraced bundle",
        value: sandbox.plain,
        unit: 'ms',
      },
      {
        what: "CPU to replay a barrier's history in the workflow sandbox, traced bundle",
        value: sandbox.traced,
        unit: 'ms',
      },
      {
        what: `spans a traced raise makes, API and worker (${census.raise.traces} traces read back from Jaeger)`,
        value: census.raise.spans,
        unit: '',
      },
      {
        what: `spans a traced list read makes (${census.list.traces} traces read back)`,
        value: census.list.spans,
        unit: '',
      },
    ],
    ratio: {
      what: 'raises per second, traced / metrics off',
      value: round2(traced.raisesPerS / off.raisesPerS),
      target: 0.85,
    },
  });
}

/** Waits until the projection has written nothing for a second (a minute at most). */
async function settled(h: Harness): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const stamp = await h.store.models.ReadStamp.findById('barriers').lean();
    const quietFor = Date.now() - (stamp?.at?.getTime() ?? 0);
    if (quietFor >= 1_000) return;
    if (Date.now() > deadline) {
      say('the projection was still writing after a minute: the list is measured beside it');
      return;
    }
    await new Promise((r) => setTimeout(r, 1_000 - quietFor));
  }
}

/**
 * What a traced request makes: the spans in each of the latest traces of the
 * API operation `operation`, on average, by name (both processes' spans).
 */
async function spanCensus(queryUrl: string, operation: string) {
  type Span = { operationName: string };
  const res = await fetch(
    `${queryUrl}/api/traces?service=golden-thread-api&operation=${encodeURIComponent(operation)}&limit=100&lookback=1h`,
  );
  const { data } = (await res.json()) as { data: { spans: Span[] }[] };
  const names = new Map<string, number>();
  for (const t of data)
    for (const s of t.spans) names.set(s.operationName, (names.get(s.operationName) ?? 0) + 1);
  const each = (n: number) => round2(n / Math.max(1, data.length));
  return {
    traces: data.length,
    spans: each([...names.values()].reduce((a, b) => a + b, 0)),
    byName: [...names]
      .sort((a, b) => b[1] - a[1])
      .map(([n, c]) => `${n} ×${each(c)}`)
      .join(', '),
  };
}

/**
 * What tracing costs inside the workflow sandbox, without the noise of a
 * running stack: the CPU to replay a barrier's committed history (raised,
 * routed, projected, emailed) with the untraced bundle and with the traced
 * one, in this process, three rounds each, the median kept.
 */
async function sandboxCost(h: Harness): Promise<{ plain: number; traced: number }> {
  const file = fileURLToPath(
    new URL('../../test/history-files/barrier-email-outbox-v1.json', import.meta.url),
  );
  const { workflowId, history } = JSON.parse(readFileSync(file, 'utf8')) as {
    workflowId: string;
    history: unknown;
  };
  const events = historyFromJSON(history);
  const times = 40;
  const perHistory = async (bundle: string) => {
    const histories = Array.from({ length: times }, (_, i) => ({
      workflowId: `${workflowId}-${i}`,
      history: events,
    }));
    const before = process.cpuUsage();
    for await (const r of Worker.runReplayHistories(
      {
        workflowBundle: { codePath: bundle },
        sinks: { ...workflowMetricsSinks, ...workflowSpanSinks(undefined) },
      },
      histories,
    ))
      if (r.error) throw r.error;
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / times;
  };
  const bundles = {
    plain: join(h.dataDir, 'replay-plain.js'),
    traced: join(h.dataDir, 'replay-traced.js'),
  };
  await writeWorkflowBundle(bundles.plain);
  await writeWorkflowBundle(bundles.traced, { tracing: true });
  // A first replay of each pays for loading the bundle: not counted.
  await perHistory(bundles.plain);
  await perHistory(bundles.traced);
  const ms = { plain: [] as number[], traced: [] as number[] };
  for (let round = 0; round < 3; round++) {
    ms.plain.push(await perHistory(bundles.plain));
    ms.traced.push(await perHistory(bundles.traced));
  }
  const mid = (xs: number[]) => round2(xs.sort((a, b) => a - b)[1]!);
  return { plain: mid(ms.plain), traced: mid(ms.traced) };
}
