/**
 * What every bench section runs against: the servers (the ones the
 * environment names, or a Temporal dev server and FerretDB started here),
 * a seeded store, worker processes, the API in a process of its own, an SMTP
 * listener, a raw-workflow worker for the ceiling, and the calls sections
 * make. `stop()` ends all that this started, in reverse order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { signToken } from '../../auth/tokens.ts';
import type { Policy } from '../../domain/policy/policy.ts';
import { loadLocalStackConfig } from '../../scripts/lib/local-stack-config.ts';
import { startEmbeddedDatabase } from '../../scripts/servers/database.ts';
import type { PostgresServer } from '../../scripts/servers/postgres.ts';
import { startTemporalDevServer } from '../../scripts/servers/temporal-cli.ts';
import { startJaeger } from '../../scripts/servers/jaeger.ts';
import { startSmtpSink, type SmtpSink } from '../../notify/smtp-sink.ts';
import { buildSeedDirectory } from '../../store/seed/directory-data.ts';
import { seedDirectory } from '../../store/seed/seed-directory.ts';
import { openStore, type Store } from '../../store/store.ts';
import { loadConfig } from '../../config.ts';
import { writeWorkflowBundle } from '../../worker/bundle.ts';
import { barrierWorkflow } from '../../workflows/barrier/barrier-workflow.ts';
import { barrierWorkflowId } from '../../workflows/barrier/definitions.ts';
import {
  rawDoneSignal,
  rawTouchUpdate,
  rawUpdatableWorkflow,
  rawWorkflow,
} from '../raw-workflow.ts';
import type { BenchApiOptions } from './api-process.ts';
import { benchPolicy } from './bench-policy.ts';
import { httpRequest } from './http-client.ts';
import type { BenchOptions } from './options.ts';
import { writeReport, type BenchResult } from './report.ts';
import { closedLoop } from './stats.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'golden-thread-bench-secret-0123456789abcdef';

export const say = (line: string) => console.log(`[bench] ${line}`);
export const round2 = (v: number) => Math.round(v * 100) / 100;
export const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000 * 10) / 10;

/** The URI naming database `name` instead of its own, keeping its options (`?…`). */
function withDatabase(uri: string, name: string): string {
  const q = uri.indexOf('?');
  const [base, options] = q === -1 ? [uri, ''] : [uri.slice(0, q), uri.slice(q)];
  const slash = base.indexOf('/', base.indexOf('://') + 3);
  return `${slash === -1 ? base : base.slice(0, slash)}/${name}${options}`;
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

export async function startHarness(options: BenchOptions) {
  const SIZES = options.sizes;
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const { cacheDir } = loadLocalStackConfig();
  const dataDir = mkdtempSync(join(tmpdir(), 'gt-bench-'));
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse())
      await s().catch((err: unknown) => say(`while stopping: ${String(err)}`));
    rmSync(dataDir, { recursive: true, force: true });
  };
  // Ctrl-C (or SIGTERM) on a long run: the sections measured so far are already
  // written; stop the servers this run started rather than leave them running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      say(`${signal}: stopping; the sections measured so far are in bench/results/`);
      void stop().finally(() => process.exit(130));
    });
  const mode =
    (options.quick ? 'quick' : options.large ? 'large' : 'default') +
    (options.database === 'sqlite' && !config.mongodbUri ? '-sqlite' : '') +
    (options.partial ? `-${[...options.only].join('-')}` : '') +
    (options.tracing ? '-tracing' : '');
  say(`mode ${mode}: ${JSON.stringify(SIZES)}`);
  if (!config.mongodbUri)
    say(`database: FerretDB on ${options.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);

  // ---- servers -------------------------------------------------------------------
  let temporalAddress = config.temporal.address;
  let mongoBase = config.mongodbUri;
  const pids: { temporal?: number; ferret?: number; postgres?: number; api?: number } = {};
  let postgres: PostgresServer | undefined;
  const servers: string[] = [];
  if (!temporalAddress) {
    const t = await startTemporalDevServer({ cacheDir, dataDir });
    temporalAddress = t.address;
    pids.temporal = t.process.child.pid;
    stops.push(() => t.process.stop());
    servers.push('Temporal CLI dev server (started here)');
  } else servers.push(`Temporal at ${temporalAddress}`);
  if (!mongoBase) {
    const db = await startEmbeddedDatabase({
      cacheDir,
      dataDir,
      backend: options.database,
      throwaway: true,
      indexes: !options.withoutIdIndex,
    });
    stops.push(() => db.stop());
    postgres = db.postgres;
    pids.postgres = db.postgres?.process.child.pid;
    pids.ferret = db.ferretdb.child.pid;
    mongoBase = db.uri;
    servers.push(
      `FerretDB 1.24 on ${options.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (started here)`,
    );
  } else servers.push('the database MONGODB_URI names');
  // --tracing: every request and workflow traced (100 %) into a Jaeger of the run's own.
  let tracingEnv: Record<string, string> = {};
  if (options.tracing) {
    const jaeger = await startJaeger({ cacheDir, dataDir });
    stops.push(() => jaeger.process.stop());
    tracingEnv = {
      OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpHttpUrl,
      OTEL_TRACES_SAMPLER: 'always_on',
    };
    say(`tracing on, every trace kept: Jaeger's UI at ${jaeger.queryUrl} while the run lasts`);
  }
  const run = randomUUID().slice(0, 8);
  /**
   * Barrier ids the bench makes itself (seeded, or started without the API) are
   * ones the API could have given out (GT- and digits), unique to this run: this
   * run's number, then a digit saying which section made them.
   */
  const barrierId = (section: 'held' | 'lag' | 'seeded', n: number) =>
    `GT-${parseInt(run.slice(0, 7), 16)}${{ held: 7, lag: 8, seeded: 9 }[section]}${String(n).padStart(7, '0')}`;
  const mongodbUri = withDatabase(mongoBase, `gt-bench-${run}`);
  const taskQueue = `gt-bench-${run}`;
  const store: Store = await openStore(mongodbUri);
  stops.push(async () => {
    await store.conn.dropDatabase().catch(() => undefined);
    await store.close();
  });
  // Only the FerretDB started here is known to be on SQLite (buildInfo does not name the backend).
  if (!options.quick && pids.ferret !== undefined && options.database === 'sqlite') {
    say(
      'warning: FerretDB 1.24 on SQLite scans its table even for a read or write by _id, so at this size ' +
        'the run measures that more than Golden Thread, and the lag section can fall minutes ' +
        'behind (see bench/README.md); leave out --database sqlite (PostgreSQL is the default), or set MONGODB_URI to MongoDB',
    );
  }
  await seedDirectory(store.models);
  const sink: SmtpSink = await startSmtpSink({ limit: 1_000_000 });
  stops.push(() => sink.close());

  // ---- workers: separate processes loading a bundle made once, as in production -------
  const workflowBundle = join(dataDir, 'workflows.js');
  await writeWorkflowBundle(workflowBundle, { tracing: options.tracing });
  const workerEnv = {
    ...tracingEnv,
    WORKFLOW_BUNDLE: workflowBundle,
    TEMPORAL_ADDRESS: temporalAddress,
    MONGODB_URI: mongodbUri,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SMTP_URL: sink.url,
    PUBLIC_BASE_URL: 'http://golden-thread.bench',
    // Each email at once, so sections count and time each barrier's own email;
    // the lag section measures the window on a worker of its own (emailWindowWorker).
    EMAIL_WINDOW_SECONDS: '0',
    // Several workers on one machine: each its own free port for /metrics.
    WORKER_METRICS_PORT: '0',
    // The webhooks section's receivers are on loopback.
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  };
  const workers: ChildProcess[] = [];
  /** Starts one more worker process on the bench's task queue; resolves once it polls. */
  const addWorker = async () => {
    workers.push(await startWorkerProcess(workerEnv, options.profileDir));
  };
  await addWorker();
  stops.push(async () => {
    // A profile is written only by a process that exits by itself (SIGTERM: it drains and stops).
    const signal = options.profileDir ? 'SIGTERM' : 'SIGKILL';
    await Promise.all(workers.map((w) => stopProcess(w, signal)));
    if (options.profileDir)
      say(
        `CPU profiles of the workers and the API: ${options.profileDir} (open in Chrome DevTools)`,
      );
  });

  // ---- the API, and the calls sections make ----------------------------------------------
  const policy = benchPolicy('P7D');
  const api = await startApiProcess(
    {
      secret: SECRET,
      taskQueue,
      temporalAddress,
      mongodbUri,
    },
    options.profileDir,
    tracingEnv,
  );
  stops.push(() => api.stop());
  pids.api = api.pid;
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  stops.push(() => connection.close());

  // Callers are people in the seeded directory: the API resolves every token there.
  const directory = buildSeedDirectory();
  const wigan = directory.localities.find((l) => l._id === 'wigan')!;
  const lead = await signToken(SECRET, {
    sub: wigan.leads[0]!,
    role: 'locality-lead',
    locality: 'wigan',
  });
  const adminEmail = directory.people.find((p) => p.roles.includes('admin'))!.email;
  const admin = await signToken(SECRET, { sub: adminEmail, role: 'admin' });
  /** Calls the API; a string body is sent as it is, with `type` (an import's CSV). */
  const call = async (
    method: string,
    path: string,
    token: string,
    body?: unknown,
    type = 'application/json',
  ) => {
    const res = await httpRequest(
      method,
      `${api.url}${path}`,
      { authorization: `Bearer ${token}`, ...(body ? { 'content-type': type } : {}) },
      typeof body === 'string' ? body : body ? JSON.stringify(body) : undefined,
    );
    const text = res.text;
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
  const startDirect = (id: string, i: number, p: Policy, queue = taskQueue) =>
    client.workflow.start(barrierWorkflow, {
      taskQueue: queue,
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
  /** The ids of every barrier raised through the API. */
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

  // ---- the raw ceiling: a worker (in this process) on its own queue ----------------------
  const native = await NativeConnection.connect({ address: temporalAddress });
  const rawQueue = `${taskQueue}-raw`;
  const rawWorker = await Worker.create({
    connection: native,
    taskQueue: rawQueue,
    workflowsPath: fileURLToPath(new URL('../raw-workflow.ts', import.meta.url)),
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

  /**
   * `n` raw update round trips, `concurrency` at a time, spread over as many
   * running raw workflows: what an action's round trip is set against.
   */
  const rawUpdateRun = async (n: number, concurrency: number, label: string) => {
    const handles = await Promise.all(
      Array.from({ length: concurrency }, () =>
        client.workflow.start(rawUpdatableWorkflow, {
          taskQueue: rawQueue,
          workflowId: `raw-updatable-${randomUUID()}`,
        }),
      ),
    );
    try {
      return await closedLoop(
        n,
        concurrency,
        (i) => handles[i % concurrency]!.executeUpdate(rawTouchUpdate, { args: [i] }),
        (d) => say(`${label}: ${d}/${n}`),
      );
    } finally {
      await Promise.all(handles.map((w) => w.signal(rawDoneSignal)));
    }
  };

  // ---- results: each section is written as soon as it is measured ------------------------
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
      (options.profileDir ? '; workers under the V8 profiler (--profile), which slows them' : '') +
      (options.tracing
        ? '; tracing on (--tracing), every trace kept, into Jaeger all-in-one (started here)'
        : '');
  };
  describeServers();
  const record = (section: BenchResult['sections'][number]) => {
    result.sections.push(section);
    writeReport(result);
  };

  /** Warms both paths up, then (on a PostgreSQL started here) says which tables are indexed. */
  const warmUp = async () => {
    await rawRun(Math.min(20, SIZES.throughput), 'warm-up raw');
    await raiseThroughApi(Math.min(20, SIZES.throughput), 'warm-up raise');
    if (!postgres) return;
    if (options.withoutIdIndex) servers.push('without the GIN indexes (--without-id-index)');
    else {
      // After the warm-up every collection the run writes to exists (the trigger indexed them).
      const tables = postgres.indexedTables(`gt-bench-${run}`);
      servers.push(
        `its ${tables} tables given GIN indexes on \`_id\` and on the models' filter fields (scripts/servers/postgres.ts)`,
      );
      say(`PostgreSQL: GIN indexes on ${tables} of FerretDB's tables`);
    }
    describeServers();
    writeReport(result);
  };

  /**
   * A worker process that holds each person's emails for `windowS` seconds,
   * on a task queue and SMTP listener of its own (same database and servers).
   */
  const emailWindowWorker = async (windowS: number) => {
    const own = await startSmtpSink({ limit: 1_000_000 });
    stops.push(() => own.close());
    const queue = `${taskQueue}-window`;
    const child = await startWorkerProcess(
      {
        ...workerEnv,
        TEMPORAL_TASK_QUEUE: queue,
        SMTP_URL: own.url,
        EMAIL_WINDOW_SECONDS: String(windowS),
      },
      undefined,
    );
    stops.push(() => stopProcess(child, 'SIGKILL'));
    return { queue, sink: own };
  };

  /**
   * A worker process and an API process of their own, on a task queue of their
   * own (same servers and database), with `env` added to both: the same stack
   * as the harness's, set differently (metrics off, tracing on), to measure
   * side by side. `tracedBundle` gives the worker a bundle whose workflows make spans.
   */
  const bundles = new Map<string, string>();
  /** A workflow bundle with (or without) the tracing interceptors, made once a run. */
  const ownBundle = async (kind: 'plain' | 'traced') => {
    let path = bundles.get(kind);
    if (!path) {
      path = join(dataDir, `workflows-${kind}.js`);
      await writeWorkflowBundle(path, { tracing: kind === 'traced' });
      bundles.set(kind, path);
    }
    return path;
  };
  const stackWith = async (
    label: string,
    env: Record<string, string>,
    { tracedBundle = false }: { tracedBundle?: boolean } = {},
  ) => {
    const queue = `${taskQueue}-${label}`;
    const bundle = await ownBundle(tracedBundle ? 'traced' : 'plain');
    // Only what `env` says: not the run's own --tracing set-up.
    const plain = Object.fromEntries(
      Object.entries(workerEnv).filter(([k]) => !k.startsWith('OTEL_')),
    ) as Record<string, string>;
    // --profile: each stack's processes write their profiles in a folder named by the stack.
    const profileDir = options.profileDir ? join(options.profileDir, label) : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const child = await startWorkerProcess(
      { ...plain, ...env, WORKFLOW_BUNDLE: bundle, TEMPORAL_TASK_QUEUE: queue },
      profileDir,
    );
    const own = await startApiProcess(
      { secret: SECRET, taskQueue: queue, temporalAddress, mongodbUri },
      profileDir,
      env,
    ).catch(async (err: unknown) => {
      await stopProcess(child, 'SIGKILL');
      throw err;
    });
    const get = async (path: string, token: string) => {
      const res = await httpRequest('GET', `${own.url}${path}`, {
        authorization: `Bearer ${token}`,
      });
      if (res.status >= 300) throw new Error(`GET ${path}: ${res.status}`);
    };
    const post = async (path: string, token: string, body: unknown) => {
      const res = await httpRequest(
        'POST',
        `${own.url}${path}`,
        { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        JSON.stringify(body),
      );
      if (res.status >= 300)
        throw new Error(`POST ${path}: ${res.status} ${res.text.slice(0, 300)}`);
    };
    return {
      get,
      post,
      pids: { api: own.pid, worker: child.pid },
      stop: async () => {
        await own.stop();
        // A profile is written, and buffered spans are sent, only by a process that exits by itself.
        await stopProcess(
          child,
          profileDir || env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'SIGTERM' : 'SIGKILL',
        );
      },
    };
  };

  return {
    options,
    sizes: SIZES,
    stackWith,
    cacheDir,
    dataDir,
    run,
    barrierId,
    pids,
    store,
    sink,
    workers,
    addWorker,
    policy,
    lead,
    admin,
    adminEmail,
    apiUrl: api.url,
    /** A bare express app in a process like the API's: the floor for a request. */
    bareUrl: api.bareUrl,
    call,
    raiseBody,
    raised,
    raiseThroughApi,
    rawRun,
    rawUpdateRun,
    startDirect,
    emailWindowWorker,
    result,
    record,
    warmUp,
    /** Runs `fn` when the harness stops (before what was started earlier). */
    onStop: (fn: () => Promise<unknown>) => stops.push(fn),
    stop,
  };
}

/** The API in a process of its own (lib/api-process.ts), and the bare app beside it. */
async function startApiProcess(
  o: BenchApiOptions,
  profileDir: string | undefined,
  env: Record<string, string> = {},
) {
  const { child, ready } = await startNodeProcess(
    'bench/lib/api-process.ts',
    { ...env, BENCH_API: JSON.stringify(o) },
    profileDir,
    /^ready (\S+) (\S+)$/m,
  );
  return {
    url: ready[1]!,
    bareUrl: ready[2]!,
    pid: child.pid!,
    stop: () => stopProcess(child, 'SIGTERM'),
  };
}

/** A worker process on the bench's queue (worker/main.ts); resolves once it polls. */
async function startWorkerProcess(
  env: Record<string, string>,
  profileDir: string | undefined,
): Promise<ChildProcess> {
  const { child } = await startNodeProcess(
    'worker/main.ts',
    { NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    profileDir,
    /polling task queue/,
  );
  return child;
}

/**
 * Runs `script` in a Node process of its own (under the V8 profiler with
 * `profileDir`); resolves with what `ready` matched in its output once it
 * prints it, and rejects with that output if the process exits first.
 */
function startNodeProcess(
  script: string,
  env: Record<string, string>,
  profileDir: string | undefined,
  ready: RegExp,
): Promise<{ child: ChildProcess; ready: RegExpExecArray }> {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const read = (d: Buffer) => {
      out += d.toString();
      const match = ready.exec(out);
      if (match) resolve({ child, ready: match });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => reject(new Error(`${script} exited: ${out}`)));
  });
}

/** Signals a child process (if it still runs) and waits until it has exited. */
async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}
