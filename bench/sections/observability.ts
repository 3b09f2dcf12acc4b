/**
 * What operability costs: the lifecycle (barriers raised through the API,
 * routed and projected) and the list (GET /barriers) on three stacks side by
 * side in one run, each a worker and an API process of its own on the same
 * servers: metrics off (METRICS_ENABLED=false), metrics on (the default), and
 * metrics with every request and workflow traced (100 % sampling) into a
 * Jaeger started here. Each is measured twice, alternately, and the better
 * run of each kept, so a stall of the machine does not decide the cost.
 */
import { ensureJaeger, startJaeger } from '../../scripts/servers/jaeger.ts';
import { perSecond, round2, say, type Harness } from '../lib/harness.ts';
import { closedLoop, percentiles } from '../lib/stats.ts';

interface Measured {
  raisesPerS: number;
  listP50: number;
  listP99: number;
}

/** Throughput lost going from `from` to `to`, in per cent (negative: none measurable). */
const costPct = (from: number, to: number) => round2(((from - to) / from) * 100);
/** Time added going from `from` to `to`, in per cent (negative: none measurable). */
const addedPct = (from: number, to: number) => round2(((to - from) / from) * 100);

export async function measureObservability(h: Harness): Promise<void> {
  const n = Math.max(60, Math.round(h.sizes.throughput / 2));
  const reads = 200;
  let tracingEnv: Record<string, string> | null = null;
  try {
    await ensureJaeger(h.cacheDir);
    const jaeger = await startJaeger({ cacheDir: h.cacheDir, dataDir: h.dataDir });
    h.onStop(() => jaeger.process.stop());
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
  const best = new Map<string, Measured>();
  for (const round of [1, 2]) {
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
        const listed = await closedLoop(reads, 10, () =>
          stack.get('/api/v1/barriers?locality=wigan&limit=25', h.admin),
        );
        const list = percentiles(listed.latencies);
        const m: Measured = {
          raisesPerS: perSecond(n, raised.elapsedMs),
          listP50: list.p50,
          listP99: list.p99,
        };
        say(
          `${c.label} (round ${round}): ${m.raisesPerS} raises/s, list p50 ${m.listP50} ms, p99 ${m.listP99} ms`,
        );
        const prev = best.get(c.label);
        best.set(c.label, {
          raisesPerS: Math.max(prev?.raisesPerS ?? 0, m.raisesPerS),
          listP50: Math.min(prev?.listP50 ?? Infinity, m.listP50),
          listP99: Math.min(prev?.listP99 ?? Infinity, m.listP99),
        });
      } finally {
        await stack.stop();
      }
    }
  }
  const off = best.get('metrics-off')!;
  const on = best.get('metrics-on')!;
  const traced = best.get('traced');
  const rows = (label: string, m: Measured) => [
    { what: `barriers raised through the API, ${label}`, value: m.raisesPerS, unit: '/s' },
    { what: `GET /barriers (25 a page), ${label}, p50`, value: m.listP50, unit: 'ms' },
    { what: `GET /barriers (25 a page), ${label}, p99`, value: m.listP99, unit: 'ms' },
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
    ],
    ratio: {
      what: 'raises per second, traced / metrics off',
      value: round2(traced.raisesPerS / off.raisesPerS),
      target: 0.85,
    },
  });
}
