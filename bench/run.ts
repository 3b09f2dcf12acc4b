/**
 * `npm run bench [-- --quick | --scale large] [--database postgresql] [--profile]`: Golden Thread against the raw
 * engine it stands on, each figure measured in one run beside its ceiling on
 * the same servers and reported as a ratio as well as absolute numbers.
 *
 * Servers: the ones TEMPORAL_ADDRESS / MONGODB_URI name, or a Temporal dev
 * server and FerretDB it starts itself in a temporary folder. Workers run as
 * separate processes (`worker/main.ts`), the API in this process, emails go
 * to an SMTP listener here. Results: bench/results/<time>.json, latest.md and
 * latest.svg. No test asserts a time; this is where speed is shown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { quietTemporalRuntime } from '../worker/runtime.ts';
import { loadConfig } from '../temporal.config.ts';
import { parsePolicy, type Policy } from '../domain/policy/policy.ts';
import { LOCALITIES, STAGES } from '../domain/reference-data.ts';
import { signToken } from '../auth/tokens.ts';
import { createLogger } from '../services/logger.ts';
import { startApiServer } from '../server/start.ts';
import { barrierDocument } from '../activities/projection.ts';
import { openStore } from '../store/store.ts';
import { readTimelines } from '../store/barrier-queries.ts';
import { findByIds } from '../store/point-reads.ts';
import { seedDirectory } from '../store/seed/seed-directory.ts';
import { buildSeedDirectory } from '../store/seed/directory-data.ts';
import { startSmtpSink } from '../notify/smtp-sink.ts';
import { startFerretDb } from '../scripts/servers/ferretdb.ts';
import { startPostgres, type PostgresServer } from '../scripts/servers/postgres.ts';
import { startTemporalDevServer } from '../scripts/servers/temporal-cli.ts';
import { freePort } from '../scripts/servers/process.ts';
import { runMain } from '../scripts/lib/main.ts';
import { writeWorkflowBundle } from '../worker/bundle.ts';
import { barrierWorkflow } from '../workflows/barrier/barrier-workflow.ts';
import type { BarrierView } from '../workflows/barrier/definitions.ts';
import { closedLoop, cpuMeter, percentiles, rssMiB, type Percentiles } from './lib/stats.ts';
import { writeReport, type BenchResult } from './lib/report.ts';
import { rawWorkflow } from './raw-workflow.ts';
import { barrierWorkflowId } from '../workflows/barrier/definitions.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The sections, in the order they run; `--only` picks some. */
const SECTIONS = ['lifecycle', 'api', 'lag', 'scale', 'horizontal'] as const;
type Section = (typeof SECTIONS)[number];
const USAGE =
  'usage: npm run bench -- [--quick | --scale large] [--database sqlite|postgresql [--without-id-index]]\n' +
  `                        [--only ${SECTIONS.join(',')}] [--profile]`;
let options;
try {
  options = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      scale: { type: 'string', default: 'default' },
      database: { type: 'string', default: 'sqlite' },
      profile: { type: 'boolean', default: false },
      'without-id-index': { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  }).values;
  for (const name of options.only?.split(',') ?? [])
    if (!(SECTIONS as readonly string[]).includes(name))
      throw new Error(`--only takes sections among ${SECTIONS.join(', ')}, not ${name}`);
  if (options.scale !== 'default' && options.scale !== 'large')
    throw new Error(`--scale must be large (or left out), not ${options.scale}`);
  if (options.quick && options.scale === 'large')
    throw new Error('--quick and --scale large are two different sizes: choose one');
  if (options.database !== 'sqlite' && options.database !== 'postgresql')
    throw new Error(`--database must be sqlite or postgresql, not ${options.database}`);
  if (options['without-id-index'] && options.database !== 'postgresql')
    throw new Error('--without-id-index is for --database postgresql');
} catch (err) {
  console.error(`[bench] ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const quick = options.quick;
const large = options.scale === 'large';
/** The sections this run measures (checked above to be among SECTIONS). */
const only = new Set<Section>((options.only?.split(',') as Section[] | undefined) ?? SECTIONS);
const runs = (section: Section) => only.has(section);
if ((runs('api') || runs('horizontal')) && !runs('lifecycle')) {
  console.error(
    `[bench] --only: api and horizontal are measured against lifecycle; add lifecycle\n${USAGE}`,
  );
  process.exit(2);
}
/** The backend of the FerretDB the bench starts (when MONGODB_URI names no server). */
const database = options.database;
/** `--profile`: each worker process writes a V8 CPU profile here when the run ends. */
const profileDir = options.profile
  ? join(ROOT, 'bench', 'results', `profiles-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  : undefined;
const SIZES = quick
  ? {
      throughput: 30,
      concurrency: 10,
      store: 1_000,
      requests: 40,
      lag: 20,
      lagSpreadS: 5,
      held: 100,
    }
  : large
    ? {
        throughput: 1_000,
        concurrency: 20,
        store: 100_000,
        requests: 300,
        lag: 2_000,
        lagSpreadS: 120,
        held: 100_000,
      }
    : {
        throughput: 400,
        concurrency: 20,
        store: 10_000,
        requests: 300,
        lag: 1_000,
        lagSpreadS: 60,
        held: 10_000,
      };

const say = (line: string) => console.log(`[bench] ${line}`);
const SECRET = 'golden-thread-bench-secret-0123456789abcdef';

function benchPolicy(ack: string): Policy {
  return parsePolicy({
    id: 'bench',
    version: 1,
    name: 'bench',
    calendar: '24x7',
    reopenWindow: 'PT60S',
    stages: {
      neighbourhood: { acknowledge: ack, resolve: 'P7D' },
      locality: { acknowledge: 'P7D', resolve: 'P14D' },
      gmca: { acknowledge: 'P7D', resolve: 'P14D' },
      whitehall: { acknowledge: 'P7D', resolve: 'P14D' },
    },
  });
}

function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('polling task queue')) {
        clearInterval(timer);
        resolve(child);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`worker exited: ${out}`));
      }
    }, 100);
  });
}

await runMain('bench', async () => {
  const benchStart = performance.now();
  quietTemporalRuntime();
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const dataDir = mkdtempSync(join(tmpdir(), 'gt-bench-'));
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse())
      await stop().catch((err: unknown) => say(`while stopping: ${String(err)}`));
    rmSync(dataDir, { recursive: true, force: true });
  };
  // Ctrl-C (or SIGTERM) on a long run: the sections measured so far are already
  // written; stop the servers this run started rather than leave them running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      say(`${signal}: stopping; the sections measured so far are in bench/results/`);
      void stopAll().finally(() => process.exit(130));
    });
  const mode =
    (quick ? 'quick' : large ? 'large' : 'default') +
    (database === 'postgresql' && !config.mongodbUri ? '-postgresql' : '') +
    (options.only ? `-${[...only].join('-')}` : '');
  say(`mode ${mode}: ${JSON.stringify(SIZES)}`);
  if (!config.mongodbUri)
    say(`database: FerretDB on ${database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
  try {
    // ---- servers -------------------------------------------------------------------
    let temporalAddress = config.temporal.address;
    let mongoBase = config.mongodbUri;
    let temporalPid: number | undefined;
    let ferretPid: number | undefined;
    let postgresPid: number | undefined;
    let postgres: PostgresServer | undefined;
    const servers: string[] = [];
    if (!temporalAddress) {
      const t = await startTemporalDevServer({ cacheDir: config.cacheDir, dataDir });
      temporalAddress = t.address;
      temporalPid = t.process.child.pid;
      stops.push(() => t.process.stop());
      servers.push('Temporal CLI dev server (started here)');
    } else servers.push(`Temporal at ${temporalAddress}`);
    if (!mongoBase) {
      let postgresqlUrl: string | undefined;
      if (database === 'postgresql') {
        const pg = await startPostgres({ dataDir });
        postgres = pg;
        postgresqlUrl = pg.url;
        postgresPid = pg.process.child.pid;
        stops.push(() => pg.process.stop());
      }
      const f = await startFerretDb({ cacheDir: config.cacheDir, dataDir, postgresqlUrl });
      mongoBase = f.uri;
      ferretPid = f.process.child.pid;
      stops.push(() => f.process.stop());
      servers.push(
        `FerretDB 1.24 on ${database === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (started here)`,
      );
    } else servers.push('the database MONGODB_URI names');
    const run = randomUUID().slice(0, 8);
    const mongodbUri = withDatabase(mongoBase, `gt-bench-${run}`);
    const taskQueue = `gt-bench-${run}`;
    const store = await openStore(mongodbUri);
    stops.push(async () => {
      await store.conn.dropDatabase().catch(() => undefined);
      await store.close();
    });
    // Only the FerretDB started here is known to be on SQLite (buildInfo does not name the backend).
    if (!quick && ferretPid !== undefined && database === 'sqlite') {
      say(
        'warning: FerretDB 1.24 on SQLite scans its table even for a read or write by _id, so at this size ' +
          'the run measures that more than Golden Thread, and the lag section can fall minutes ' +
          'behind (bench/README.md, sixth pass); use --database postgresql, or set MONGODB_URI to MongoDB',
      );
    }
    await seedDirectory(store.models);
    const sink = await startSmtpSink({ limit: 1_000_000 });
    stops.push(() => sink.close());
    // Workers load a bundle made once, as in production, rather than each running webpack.
    const workflowBundle = join(dataDir, 'workflows.js');
    await writeWorkflowBundle(workflowBundle);
    const workerEnv = {
      WORKFLOW_BUNDLE: workflowBundle,
      TEMPORAL_ADDRESS: temporalAddress,
      MONGODB_URI: mongodbUri,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_URL: sink.url,
      PUBLIC_BASE_URL: 'http://golden-thread.bench',
    };
    const workers: ChildProcess[] = [await startWorkerProcess(workerEnv)];
    stops.push(async () => {
      // A profile is written only by a process that exits by itself (SIGTERM: it drains and stops).
      const signal = profileDir ? 'SIGTERM' : 'SIGKILL';
      const running = workers.filter((w) => w.exitCode === null && w.signalCode === null);
      await Promise.all(
        running.map((w) => {
          const exited = new Promise((r) => w.once('exit', r));
          w.kill(signal);
          return exited;
        }),
      );
      if (profileDir) say(`CPU profiles of the workers: ${profileDir} (open in Chrome DevTools)`);
    });
    const policy = benchPolicy('P7D');
    const api = await startApiServer({
      config: loadConfig({
        NODE_ENV: 'test',
        AUTH_SECRET: SECRET,
        TEMPORAL_TASK_QUEUE: taskQueue,
        RATE_LIMIT_PER_MINUTE: '0',
      }),
      temporalAddress,
      mongodbUri,
      logger: createLogger('api', 'error'),
      defaultPolicy: policy,
      port: 0,
    });
    stops.push(() => api.close());
    const connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection });
    stops.push(() => connection.close());

    const dir = buildSeedDirectory();
    const wigan = dir.localities.find((l) => l._id === 'wigan')!;
    const lead = await signToken(SECRET, {
      sub: wigan.leads[0]!,
      role: 'locality-lead',
      locality: 'wigan',
    });
    const admin = await signToken(SECRET, { sub: 'admin@example.org', role: 'admin' });
    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (res.status >= 300)
        throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    };
    const raiseBody = (i: number) => ({
      title: `Benchmark barrier ${i}`,
      description: 'Raised by the benchmark.',
      locality: 'wigan',
      neighbourhood: wigan.neighbourhoods[i % wigan.neighbourhoods.length]!.slug,
      category: 'funding',
    });
    /** Starts a barrier workflow directly (no API), as the lag and scale sections need many fast. */
    const startDirect = (id: string, i: number, p: Policy) =>
      client.workflow.start(barrierWorkflow, {
        taskQueue,
        workflowId: barrierWorkflowId(id),
        args: [
          {
            version: 1,
            id,
            reference: id,
            raisedBy: wigan.leads[0]!,
            policy: p,
            details: { ...raiseBody(i), locality: 'wigan', category: 'funding', evidence: [] },
          },
        ],
      });
    const raised: string[] = [];
    const raiseThroughApi = async (n: number, label: string) =>
      closedLoop(
        n,
        SIZES.concurrency,
        async (i) => {
          const b = await call('POST', '/api/v1/barriers', lead, raiseBody(i));
          raised.push(b.id as string);
        },
        (d) => say(`${label}: ${d}/${n}`),
      );

    // Raw ceiling: a worker in its own process-free form (in this process) on its own queue.
    const native = await NativeConnection.connect({ address: temporalAddress });
    const rawQueue = `${taskQueue}-raw`;
    const rawWorker = await Worker.create({
      connection: native,
      taskQueue: rawQueue,
      workflowsPath: fileURLToPath(new URL('./raw-workflow.ts', import.meta.url)),
    });
    const rawRunning = rawWorker.run();
    stops.push(async () => {
      rawWorker.shutdown();
      await rawRunning;
      await native.close();
    });
    const rawRun = (n: number, label: string) =>
      closedLoop(
        n,
        SIZES.concurrency,
        () =>
          client.workflow.execute(rawWorkflow, {
            taskQueue: rawQueue,
            workflowId: `raw-${randomUUID()}`,
          }),
        (d) => say(`${label}: ${d}/${n}`),
      );

    const result: BenchResult = {
      mode,
      sizes: SIZES,
      servers: '',
      at: new Date().toISOString(),
      sections: [],
    };
    const describeServers = () => {
      result.servers =
        servers.join(', ') +
        (profileDir ? '; workers under the V8 profiler (--profile), which slows them' : '');
    };
    describeServers();
    // Each section is written as soon as it is measured, so a later failure loses nothing.
    const record = (section: BenchResult['sections'][number]) => {
      result.sections.push(section);
      writeReport(result);
    };
    const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000 * 10) / 10;

    // ---- 1. lifecycle throughput ------------------------------------------------------
    say('1/5 lifecycle throughput against raw workflows');
    await rawRun(Math.min(20, SIZES.throughput), 'warm-up raw');
    await raiseThroughApi(Math.min(20, SIZES.throughput), 'warm-up raise');
    if (postgres && !options['without-id-index']) {
      // After the warm-up every collection the run writes to exists.
      const tables = postgres.indexFerretDbIds(`gt-bench-${run}`);
      servers.push(
        `with a GIN index on \`_id\` added to its ${tables} tables (FerretDB's own cannot serve its \`_id\` reads)`,
      );
      describeServers();
      writeReport(result);
      say(`PostgreSQL: GIN indexes on _id for FerretDB's ${tables} tables`);
    }
    type Run = Awaited<ReturnType<typeof closedLoop>>;
    let lifecycle: { raw: Run; life: Run; lifeRate: number } | undefined;
    if (runs('lifecycle')) {
      // CPU per workflow and per barrier, by process: on a machine the load saturates,
      // the throughput ratio is close to the inverse of the CPU ratio, so this says why.
      const processes = {
        'harness and API': process.pid,
        worker: workers[0]!.pid,
        Temporal: temporalPid,
        FerretDB: ferretPid,
      };
      // PostgreSQL runs a process per connection: counted with its children.
      const trees = { PostgreSQL: postgresPid };
      const rawCpu = await cpuMeter(processes, trees);
      const raw = await rawRun(SIZES.throughput, 'raw workflows');
      const rawCpuMs = await rawCpu();
      const lifeCpu = await cpuMeter(processes, trees);
      const life = await raiseThroughApi(SIZES.throughput, 'barriers raised');
      const lifeCpuMs = await lifeCpu();
      const rawRate = perSecond(SIZES.throughput, raw.elapsedMs);
      const lifeRate = perSecond(SIZES.throughput, life.elapsedMs);
      const perItem = (cpu: Record<string, number | null>) => {
        const known = Object.entries(cpu).filter((e): e is [string, number] => e[1] !== null);
        const each = (ms: number) => Math.round((ms / SIZES.throughput) * 10) / 10;
        return {
          total: each(known.reduce((a, [, ms]) => a + ms, 0)),
          detail: known.map(([k, ms]) => `${k} ${each(ms)}`).join(', '),
        };
      };
      const rawPer = perItem(rawCpuMs);
      const lifePer = perItem(lifeCpuMs);
      record({
        name: 'Lifecycle throughput',
        rows: [
          { what: 'raw workflows started and completed', value: rawRate, unit: '/s' },
          {
            what: 'barriers raised through the API, routed and projected',
            value: lifeRate,
            unit: '/s',
          },
          {
            what: `CPU per raw workflow (${rawPer.detail})`,
            value: rawPer.total,
            unit: 'ms',
          },
          {
            what: `CPU per barrier (${lifePer.detail})`,
            value: lifePer.total,
            unit: 'ms',
          },
        ],
        ratio: { what: 'lifecycle / raw ceiling', value: round2(lifeRate / rawRate), target: 0.5 },
      });
      lifecycle = { raw, life, lifeRate };
    }

    // ---- 2. API latency ----------------------------------------------------------------
    if (runs('api')) {
      const { raw, life } = lifecycle!;
      say(`2/5 API latency with ${SIZES.store} barriers in the store`);
      const seeded = SIZES.store - raised.length;
      const now = Date.now();
      for (let start = 0; start < seeded; start += 1_000) {
        const docs = [];
        for (let i = start; i < Math.min(seeded, start + 1_000); i++) {
          const locality = LOCALITIES[i % LOCALITIES.length]!;
          const view = syntheticView(
            `GT-S${run}${i}`,
            locality,
            STAGES[i % 3]!,
            now + (i % 5000) * 60_000,
          );
          docs.push({ ...barrierDocument('seeded', view), projectedAt: new Date() });
        }
        await store.models.Barrier.collection.insertMany(docs as never[]);
        say(`seeded ${Math.min(seeded, start + 1_000)}/${seeded}`);
      }
      const bare = express();
      bare.get('/ping', (_req, res) => {
        res.json({ ok: true });
      });
      const barePort = await freePort();
      const bareServer = bare.listen(barePort, '127.0.0.1');
      stops.push(() => new Promise((r) => bareServer.close(r)));
      const n = SIZES.requests;
      const c = SIZES.concurrency;
      const lat: Record<string, Percentiles> = {};
      const progress = (label: string) => (d: number) => say(`${label}: ${d}/${n}`);
      lat['bare express GET'] = percentiles(
        (
          await closedLoop(
            n,
            c,
            () => fetch(`http://127.0.0.1:${barePort}/ping`).then((r) => r.text()),
            progress('bare express GET'),
          )
        ).latencies,
      );
      lat['bare indexed mongoose query'] = percentiles(
        (
          await closedLoop(
            n,
            c,
            () =>
              store.models.Barrier.find({ locality: 'wigan' })
                .sort({ deadlineSortAt: 1, _id: 1 })
                .limit(25)
                .lean(),
            progress('bare indexed mongoose query'),
          )
        ).latencies,
      );
      lat['GET /barriers (filtered)'] = percentiles(
        (
          await closedLoop(
            n,
            c,
            (i) =>
              call(
                'GET',
                `/api/v1/barriers?locality=${LOCALITIES[i % 10]}&stage=neighbourhood&limit=25`,
                admin,
              ),
            progress('GET /barriers (filtered)'),
          )
        ).latencies,
      );
      lat['GET /barriers/:id'] = percentiles(
        (
          await closedLoop(
            n,
            c,
            (i) => call('GET', `/api/v1/barriers/${raised[i % raised.length]}`, admin),
            progress('GET /barriers/:id'),
          )
        ).latencies,
      );
      lat['POST /barriers'] = percentiles(life.latencies);
      lat['POST /barriers/:id/actions'] = percentiles(
        (
          await closedLoop(
            n,
            c,
            (i) =>
              call('POST', `/api/v1/barriers/${raised[i % raised.length]}/actions`, lead, {
                type: 'comment',
                text: `note ${i}`,
              }),
            progress('POST /barriers/:id/actions'),
          )
        ).latencies,
      );
      lat['raw workflow execute'] = percentiles(raw.latencies);
      result.latency = lat;
      record({
        name: 'API latency (ms)',
        rows: Object.entries(lat).map(([what, p]) => ({
          what,
          value: p.p99,
          unit: 'ms p99',
          detail: p,
        })),
        ratio: {
          what: 'GET /barriers p99 / bare indexed query p99',
          value: round2(
            lat['GET /barriers (filtered)'].p99 /
              Math.max(0.1, lat['bare indexed mongoose query'].p99),
          ),
        },
        targets: [
          {
            what: 'reads p99 ≤ 50 ms',
            met: Math.max(lat['GET /barriers (filtered)'].p99, lat['GET /barriers/:id'].p99) <= 50,
          },
          {
            what: 'raise and actions p99 ≤ 150 ms',
            met: Math.max(lat['POST /barriers'].p99, lat['POST /barriers/:id/actions'].p99) <= 150,
          },
        ],
      });
    }

    // ---- 3. escalation lag ---------------------------------------------------------------
    const measureLag = async (k: number, label: string) => {
      say(`${label}: ${k} barriers whose deadlines fall over ${SIZES.lagSpreadS} s`);
      const base = (quick ? 8 : 30) + Math.ceil(k / 20); // time to start them all, with room
      const ids: string[] = [];
      await closedLoop(
        k,
        50,
        async (i) => {
          const id = `GT-L${run}${label.length}${i}`;
          ids.push(id);
          await startDirect(id, i, benchPolicy(`PT${base + (i % SIZES.lagSpreadS)}S`));
        },
        (d) => say(`${label}: started ${d}/${k}`),
      );
      // Progress from the SMTP listener (in memory), so watching adds no load to
      // the database under test; then the read model is read by key.
      const wanted = new Set(ids);
      const mailed = () =>
        new Set(
          sink
            .messages()
            .filter((m) => m.kind === 'breached')
            .map((m) => m.key.split(':')[0]!)
            .filter((id) => wanted.has(id)),
        ).size;
      const deadline = Date.now() + (base + SIZES.lagSpreadS + 90) * 1000;
      for (;;) {
        say(`${label}: ${mailed()}/${k} breach emails`);
        if (mailed() >= k || Date.now() > deadline) break;
        await sleep(quick ? 1_000 : 5_000);
      }
      const readEvents = async () => {
        const docs = await findByIds(store.models.Barrier, ids, { lastSeq: 1 });
        return readTimelines(
          store.models,
          docs.map((d) => ({ id: d._id, lastSeq: d.lastSeq })),
        );
      };
      let events = await readEvents();
      const escalated = () => events.filter((e) => e.type === 'escalated').length;
      while (escalated() < k && Date.now() < deadline + 30_000) {
        say(`${label}: ${escalated()}/${k} escalated in the read model`);
        await sleep(2_000);
        events = await readEvents();
      }
      const due = new Map(
        events.filter((e) => e.type === 'breached').map((e) => [e.barrierId, e.at.getTime()]),
      );
      const readModel = events
        .filter((e) => e.type === 'escalated' && due.has(e.barrierId) && e.recordedAt)
        .map((e) => e.recordedAt!.getTime() - due.get(e.barrierId)!);
      await sleep(quick ? 1_000 : 3_000);
      const emails = sink
        .messages()
        .filter((m) => m.kind === 'breached' && due.has(m.key.split(':')[0]!))
        .map((m) => m.receivedAt.getTime() - due.get(m.key.split(':')[0]!)!);
      return {
        readModel: percentiles(readModel),
        email: percentiles(emails),
        escalated: readModel.length,
        of: k,
      };
    };
    if (runs('lag')) {
      say('3/5 escalation lag');
      const lag = await measureLag(SIZES.lag, 'lag');
      result.lag = lag;
      record({
        name: 'Escalation lag (ms after the deadline)',
        rows: [
          {
            what: `escalated in the read model (${lag.escalated}/${lag.of})`,
            value: lag.readModel.p99,
            unit: 'ms p99',
            detail: lag.readModel,
          },
          {
            what: 'breach email at the SMTP listener',
            value: lag.email.p99,
            unit: 'ms p99',
            detail: lag.email,
          },
        ],
        targets: [{ what: 'escalation lag p99 ≤ 1 s', met: lag.readModel.p99 <= 1_000 }],
      });
    }

    // ---- 4. scale and memory ----------------------------------------------------------------
    if (runs('scale')) {
      say(`4/5 scale: holding ${SIZES.held} open barriers`);
      const heldStart = performance.now();
      const heldPrefix = `GT-H${run}`;
      await closedLoop(
        SIZES.held,
        100,
        (i) => startDirect(`${heldPrefix}${i}`, i, policy),
        (d) => say(`held: started ${d}/${SIZES.held}`),
      );
      const heldDeadline = Date.now() + Math.max(120_000, SIZES.held * 100);
      let heldOpen = 0;
      // Watched at the SMTP listener (each routed barrier tells its new owner),
      // then counted once in the read model.
      const assigned = () =>
        new Set(
          sink
            .messages()
            .filter((m) => m.kind === 'assigned' && m.key.startsWith(heldPrefix))
            .map((m) => m.key.split(':')[0]!),
        ).size;
      // Memory as the count grows, written as it is sampled: a run stopped early keeps it.
      result.holding = [];
      let sampledAt = -Infinity;
      const readMemory = async () => ({
        workerMiB: await rssMiB(workers[0]!.pid),
        temporalMiB: await rssMiB(temporalPid),
        ferretdbMiB: await rssMiB(ferretPid),
      });
      const sampleMemory = async (routed: number) => {
        result.holding!.push({
          atS: Math.round((performance.now() - heldStart) / 1000),
          routed,
          ...(await readMemory()),
        });
        writeReport(result);
        sampledAt = performance.now();
      };
      for (;;) {
        const routed = assigned();
        say(`held: ${routed}/${SIZES.held} routed`);
        if (routed >= SIZES.held || Date.now() > heldDeadline) break;
        if (performance.now() - sampledAt >= (quick ? 5_000 : 60_000)) await sampleMemory(routed);
        await sleep(quick ? 1_000 : 5_000);
      }
      // Counted by key: a filter FerretDB cannot push down (a regex, say) would load
      // every document into FerretDB, and its memory reading below with them.
      let unconfirmed = Array.from({ length: SIZES.held }, (_, i) => `${heldPrefix}${i}`);
      for (;;) {
        const found = await findByIds(store.models.Barrier, unconfirmed, { _id: 1 });
        const projected = new Set(found.map((d) => d._id));
        unconfirmed = unconfirmed.filter((id) => !projected.has(id));
        heldOpen = SIZES.held - unconfirmed.length;
        say(`held: ${heldOpen}/${SIZES.held} projected`);
        if (heldOpen >= SIZES.held || Date.now() > heldDeadline) break;
        await sleep(5_000);
      }
      const heldMs = performance.now() - heldStart;
      const memory = await readMemory();
      const lagAtScale = await measureLag(Math.min(200, quick ? 10 : SIZES.lag), 'lag at scale');
      result.scale = {
        held: SIZES.held,
        startedPerSecond: perSecond(SIZES.held, heldMs),
        memory,
        lag: lagAtScale,
      };
      record({
        name: `Scale: ${SIZES.held} open barriers`,
        rows: [
          {
            what: `started, routed and projected (${heldOpen}/${SIZES.held})`,
            value: perSecond(heldOpen, heldMs),
            unit: '/s',
          },
          { what: 'worker RSS', value: memory.workerMiB ?? -1, unit: 'MiB' },
          { what: 'Temporal dev server RSS', value: memory.temporalMiB ?? -1, unit: 'MiB' },
          { what: 'FerretDB RSS', value: memory.ferretdbMiB ?? -1, unit: 'MiB' },
          {
            what: 'escalation lag at this size',
            value: lagAtScale.readModel.p99,
            unit: 'ms p99',
            detail: lagAtScale.readModel,
          },
        ],
        targets: [{ what: 'worker RSS under 1 GiB', met: (memory.workerMiB ?? 0) < 1024 }],
      });
    }

    // ---- 5. horizontal scale ------------------------------------------------------------------
    if (runs('horizontal')) {
      const { lifeRate } = lifecycle!;
      say('5/5 horizontal: two workers on the same task queue');
      workers.push(await startWorkerProcess(workerEnv));
      const two = await raiseThroughApi(SIZES.throughput, 'raised with two workers');
      const twoRate = perSecond(SIZES.throughput, two.elapsedMs);
      record({
        name: 'Horizontal scale',
        rows: [
          { what: 'lifecycle throughput, one worker process', value: lifeRate, unit: '/s' },
          { what: 'lifecycle throughput, two worker processes', value: twoRate, unit: '/s' },
        ],
        ratio: { what: 'two workers / one', value: round2(twoRate / lifeRate) },
      });
    }

    result.elapsedS = Math.round((performance.now() - benchStart) / 1000);
    say(`finished in ${result.elapsedS} s; results: ${writeReport(result).join(', ')}`);
  } finally {
    await stopAll();
  }
});

/** The URI naming database `name` instead of its own, keeping its options (`?…`). */
function withDatabase(uri: string, name: string): string {
  const q = uri.indexOf('?');
  const [base, options] = q === -1 ? [uri, ''] : [uri.slice(0, q), uri.slice(q)];
  const slash = base.indexOf('/', base.indexOf('://') + 3);
  return `${slash === -1 ? base : base.slice(0, slash)}/${name}${options}`;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function syntheticView(id: string, locality: string, stage: string, deadline: number): BarrierView {
  return {
    id,
    reference: id,
    title: `Seeded barrier ${id}`,
    description: 'Seeded by the benchmark for read latency.',
    locality,
    neighbourhood: 'seeded',
    category: 'funding',
    focusArea: null,
    gmModelFeature: null,
    peopleAffected: 10,
    evidence: [],
    raisedBy: 'bench@example.org',
    raisedAt: deadline - 86_400_000,
    stage: stage as BarrierView['stage'],
    status: 'open',
    cycle: 1,
    owner: { email: 'owner@example.org', name: 'Owner', reason: 'neighbourhood-lead' },
    acknowledged: false,
    policy: { id: 'bench', version: 1 },
    sla: {
      stage: stage as BarrierView['stage'],
      calendar: '24x7',
      acknowledgeDueAt: deadline,
      resolveDueAt: deadline + 86_400_000,
      paused: false,
      pauseReason: null,
      breached: false,
      atRisk: false,
      nextDeadlineAt: deadline,
      overdueSince: null,
    },
    closedAt: null,
    reopenUntil: null,
    resolution: null,
    seq: 2,
    raisers: ['bench@example.org'],
    mergedInto: null,
    mergedFrom: [],
    links: [],
    askId: null,
  };
}
