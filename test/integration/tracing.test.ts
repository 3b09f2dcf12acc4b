/**
 * One trace follows a raise from the API to the routed owner's email: the API
 * and the worker run as their own processes with tracing on (every trace
 * kept), sending OTLP to a real Jaeger all-in-one on loopback, and the trace
 * is read back from Jaeger's query API, as an operator would find it from the
 * request id in a complaint and the log line that names it.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signToken } from '../../auth/tokens.ts';
import { loadLocalStackConfig } from '../../scripts/lib/local-stack-config.ts';
import { startJaeger, type JaegerServer } from '../../scripts/servers/jaeger.ts';
import { freePort } from '../../scripts/servers/process.ts';
import { writeWorkflowBundle } from '../../worker/bundle.ts';
import { leighRaiseBody } from '../support/api.ts';
import { localityLead, neighbourhood } from '../support/people.ts';
import { runScript, until, type RunningScript } from '../support/processes.ts';
import { openTestStack, TEST_BASE_URL, type TestStack } from '../support/stack.ts';

const SECRET = 'tracing-test-secret-0123456789abcdef';
const API_SERVICE = 'gt-test-api';
const WORKER_SERVICE = 'gt-test-worker';

/** A span as Jaeger's query API gives it, with its service's name. */
interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
  service: string;
}

let jaeger: JaegerServer | undefined;
let stack: TestStack | undefined;
let api: RunningScript;
let worker: RunningScript;
let apiUrl: string;

beforeAll(async () => {
  const dataDir = join(inject('dataDir'), `tracing-${randomUUID().slice(0, 8)}`);
  // Only this file needs Jaeger: built once into the cache (minutes, the first time), started here.
  jaeger = await startJaeger({ cacheDir: loadLocalStackConfig().cacheDir, dataDir });
  stack = await openTestStack('tracing');
  // A bundle made for tracing, as `npm run bundle:workflows -- --tracing` makes one.
  const bundle = join(dataDir, 'workflows-traced.js');
  await writeWorkflowBundle(bundle, { tracing: true });
  const env = {
    TEMPORAL_ADDRESS: stack.temporalAddress,
    MONGODB_URI: stack.mongodbUri,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    SMTP_URL: stack.mailbox.url,
    PUBLIC_BASE_URL: TEST_BASE_URL,
    AUTH_SECRET: SECRET,
    RATE_LIMIT_PER_MINUTE: '0',
    WORKFLOW_BUNDLE: bundle,
    OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpHttpUrl,
    OTEL_TRACES_SAMPLER: 'always_on',
    // Spans leave every 200 ms rather than every 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  worker = runScript('worker/main.ts', { ...env, OTEL_SERVICE_NAME: WORKER_SERVICE });
  const port = await freePort();
  api = runScript('server/main.ts', {
    ...env,
    PORT: String(port),
    OTEL_SERVICE_NAME: API_SERVICE,
    LOG_LEVEL: 'info',
  });
  apiUrl = `http://127.0.0.1:${port}`;
  await until('the worker', () => worker.output().includes('polling task queue'), 90_000);
  await until(
    'the API',
    async () => (await fetch(`${apiUrl}/readyz`).catch(() => null))?.status === 200,
    90_000,
  );
}, 20 * 60_000);

afterAll(async () => {
  for (const p of [api, worker]) if (p?.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.all([api?.exited, worker?.exited]);
  await stack?.close();
  await jaeger?.process.stop();
});

/** The trace with this id as Jaeger holds it (empty until its spans arrive). */
async function jaegerTrace(traceId: string): Promise<JaegerSpan[]> {
  const res = await fetch(`${jaeger!.queryUrl}/api/traces/${traceId}`);
  if (res.status !== 200) return [];
  const { data } = (await res.json()) as {
    data: {
      spans: Omit<JaegerSpan, 'service'>[];
      processes: Record<string, { serviceName: string }>;
    }[];
  };
  return (data ?? []).flatMap((t) =>
    t.spans.map((s) => ({
      ...s,
      service: t.processes[(s as { processID?: string }).processID ?? '']?.serviceName ?? '',
    })),
  );
}

const tag = (s: JaegerSpan, key: string) => s.tags.find((t) => t.key === key)?.value;

describe('a raise, traced', () => {
  it('is one trace from the HTTP request to the email, through Temporal and the database', async () => {
    const requestId = `complaint-${randomUUID()}`;
    const token = await signToken(SECRET, localityLead('wigan'));
    const res = await fetch(`${apiUrl}/api/v1/barriers`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': `traced-${requestId}`,
        'x-request-id': requestId,
      },
      body: JSON.stringify(leighRaiseBody('Traced from the form to the inbox')),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    expect(((await res.json()) as { stage: string }).stage).toBe('neighbourhood');

    // The routed owner, Leigh's neighbourhood lead, is told.
    const owner = neighbourhood('wigan', 'leigh').lead;
    await stack!.mailbox.waitFor(
      (ms) => ms.some((m) => m.kind === 'assigned' && m.to.includes(owner)),
      30_000,
    );

    // The operator's way in: the request id finds the log line, which names the trace.
    let logged: Record<string, unknown> | undefined;
    await until('the request logged', () => {
      logged = api
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'request' && l.requestId === requestId);
      return logged !== undefined;
    });
    expect(logged).toMatchObject({ method: 'POST', status: 201 });
    const traceId = String(logged!.traceId);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(api.output()).not.toContain(token);

    // Spans arrive from two processes at their own pace: wait for each kind the trace should hold.
    const byName = (name: string) => (s: JaegerSpan) => s.operationName === name;
    const isDatabase = (s: JaegerSpan) => tag(s, 'db.system.name') === 'mongodb';
    const expected = {
      'the HTTP request': (s: JaegerSpan) =>
        s.service === API_SERVICE && tag(s, 'span.kind') === 'server',
      "the API's Temporal call": byName('UpdateWithStartWorkflow:awaitRouted'),
      "the API's database calls": (s: JaegerSpan) => s.service === API_SERVICE && isDatabase(s),
      'the raise, an update of the workflow': byName('HandleUpdate:awaitRouted'),
      'the projection scheduled': byName('StartActivity:projectBarrier'),
      'the projection run': byName('RunActivity:projectBarrier'),
      "the worker's database calls": (s: JaegerSpan) =>
        s.service === WORKER_SERVICE && isDatabase(s),
      'the send of the email': byName('email outbox send'),
    };
    let spans: JaegerSpan[] = [];
    const missing = () =>
      Object.entries(expected)
        .filter(([, found]) => !spans.some(found))
        .map(([what]) => what);
    await until(
      'the whole trace in Jaeger',
      async () => {
        spans = await jaegerTrace(traceId);
        return missing().length === 0;
      },
      30_000,
    ).catch(() => undefined);
    expect(missing()).toEqual([]);

    const request = spans.find(expected['the HTTP request'])!;
    expect(request.operationName).toBe('POST /api/v1/barriers');
    expect(tag(request, 'http.route')).toBe('/api/v1/barriers');
    expect(tag(request, 'http.response.status_code')).toBe(201);
    // Jaeger finds the trace by the request id too.
    expect(tag(request, 'http.request.id')).toBe(requestId);
    expect(spans.find(expected["the API's Temporal call"])!.service).toBe(API_SERVICE);
    for (const what of [
      'the raise, an update of the workflow',
      'the projection run',
      'the send of the email',
    ] as const)
      expect(spans.find(expected[what])!.service, what).toBe(WORKER_SERVICE);
    // Nothing that would let someone act as the caller leaves in a span.
    expect(JSON.stringify(spans)).not.toContain(token);

    // One tree. The workflow's own span ends with the workflow (when the barrier
    // closes, days later), so until then it is the one parent Jaeger lacks.
    const byId = new Map(spans.map((s) => [s.spanID, s]));
    const parentId = (s: JaegerSpan) => s.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
    const ancestors = (s: JaegerSpan): string[] => {
      const parent = byId.get(parentId(s) ?? '');
      return parent ? [parent.operationName, ...ancestors(parent)] : [];
    };
    expect(parentId(request)).toBeUndefined();
    const absent = new Set(spans.map(parentId).filter((p) => p !== undefined && !byId.has(p)));
    expect(absent.size).toBe(1);
    const update = ancestors(spans.find(expected['the raise, an update of the workflow'])!);
    expect(update[0]).toBe('UpdateWithStartWorkflow:awaitRouted');
    expect(update.at(-1)).toBe('POST /api/v1/barriers');
    const send = ancestors(spans.find(expected['the send of the email'])!);
    expect(send.slice(0, 2)).toEqual([
      'RunActivity:projectBarrier',
      'StartActivity:projectBarrier',
    ]);
    // …whose parent is the workflow's span, the one not yet in Jaeger.
    const top = spans.find((s) => s.operationName === send.at(-1))!;
    expect(absent.has(parentId(top))).toBe(true);
  });
});
