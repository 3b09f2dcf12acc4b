/**
 * What operability costs: the lifecycle (barriers raised through the API,
 * routed and projected) and the list (GET /barriers) on three stacks side by
 * side in one run, each a worker and an API process of its own on the same
 * servers: metrics off (METRICS_ENABLED=false), metrics on (the default), and
 * metrics with every request and workflow traced (100 % sampling) into a
 * Jaeger started here. The three stay up together and take turns in short
 * bursts, seven rounds of them, each from a store at rest: a run of the same
 * stack moved by a tenth to a fifth from one minute to the next here, so
 * stacks measured one after another, minutes apart, were compared as much
 * with the machine's drift as with each other. Raises: the median of each
 * stack's bursts; the list: the percentiles of all its reads.
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
      // A burst's spans are sent within its own measurement and the pause after it, not
      // during the next stack's (the default waits up to 5 s; sending sooner costs no less).
      OTEL_BSP_SCHEDULE_DELAY: '500',
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
  const stacks = new Map<string, Awaited<ReturnType<Harness['stackWith']>>>();
  try {
    for (const c of configs) {
      const stack = await h.stackWith(c.label, c.env, { tracedBundle: c.traced });
      stacks.set(c.label, stack);
      // Warm: the first raises and reads pay for loading and the caches.
      await closedLoop(10, 5, (i) => stack.post('/api/v1/barriers', h.lead, h.raiseBody(i)));
      await closedLoop(50, 5, () => stack.get(LIST, h.admin));
    }
    const measured = new Map<
      string,
      { rates: number[]; latencies: number[]; cpu: Record<string, number> }
    >(configs.map((c) => [c.label, { rates: [], latencies: [], cpu: {} }]));
    for (let round = 0; round < ROUNDS; round++) {
      // Each round in another order, so no stack always follows the same one.
      const order = configs.map((_, i) => configs[(i + round) % configs.length]!);
      for (const c of order) {
        await settled(h);
        const raised = await closedLoop(RAISES, h.sizes.concurrency, (i) =>
          stacks.get(c.label)!.post('/api/v1/barriers', h.lead, h.raiseBody(i)),
        );
        measured.get(c.label)!.rates.push(perSecond(RAISES, raised.elapsedMs));
      }
      for (const c of order) {
        // The list as the API section reads it: on a store at rest, not beside a
        // worker still projecting and emailing what was just raised.
        await settled(h);
        const stack = stacks.get(c.label)!;
        // Read once first: the burst measures reads served from memory, as the API section's do.
        await stack.get(LIST, h.admin);
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
        const listed = await closedLoop(READS, h.sizes.readers, () => stack.get(LIST, h.admin));
        const m = measured.get(c.label)!;
        m.latencies.push(...listed.latencies);
        for (const [k, ms] of Object.entries(await cpu()))
          if (ms !== null) m.cpu[k] = (m.cpu[k] ?? 0) + ms;
      }
      say(
        `round ${round + 1}/${ROUNDS}: raises/s ${configs
          .map((c) => `${c.label} ${measured.get(c.label)!.rates.at(-1)}`)
          .join(', ')}`,
      );
    }
    const results = new Map<string, Measured>();
    for (const c of configs) {
      const m = measured.get(c.label)!;
      const list = percentiles(m.latencies);
      const result: Measured = {
        raisesPerS: median(m.rates),
        listP50: list.p50,
        listP99: list.p99,
        listCpu: Object.fromEntries(
          Object.entries(m.cpu).map(([k, ms]) => [k, round2(ms / (READS * ROUNDS))]),
        ),
      };
      results.set(c.label, result);
      say(
        `${c.label}: ${result.raisesPerS} raises/s (median of ${m.rates.join(', ')}), list p50 ${result.listP50} ms, p99 ${result.listP99} ms; ` +
          `CPU per read: ${Object.entries(result.listCpu)
            .map(([k, ms]) => `${k} ${ms} ms`)
            .join(', ')}`,
      );
    }
    await record(h, results, queryUrl);
  } finally {
    for (const stack of stacks.values()) await stack.stop();
  }
}

const LIST = '/api/v1/barriers?locality=wigan&limit=25';
/** Rounds; in each, every stack raises a burst, then every stack reads a burst. */
const ROUNDS = 7;
const RAISES = 50;
const READS = 200;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;

async function record(h: Harness, results: Map<string, Measured>, queryUrl: string) {
  const off = results.get('metrics-off')!;
  const on = results.get('metrics-on')!;
  const traced = results.get('traced');
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
