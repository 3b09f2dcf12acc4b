/**
 * Per-file access to the real servers started by the global setup: a private
 * database and task queue for each test file, a worker, a client, the API.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { quietTemporalRuntime } from '../../worker/runtime.ts';

export { quietTemporalRuntime };
import { inject } from 'vitest';
import { createWorker, type GoldenThreadWorker } from '../../worker/create-worker.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import { openStore, type Store } from '../../store/store.ts';
import { seedDirectory } from '../../store/seed/seed-directory.ts';
import { startSmtpSink, type SmtpSink, type SmtpSinkOptions } from '../../notify/smtp-sink.ts';
import { createSmtpTransport } from '../../notify/smtp-transport.ts';

/** Links in test emails start with this. */
export const TEST_BASE_URL = 'http://golden-thread.test';

export interface TestStack {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  mongodbUri: string;
  store: Store;
  client: Client;
  connection: Connection;
  /** The real SMTP listener this file's workers send to. */
  mailbox: SmtpSink;
  /** Starts a worker on this file's task queue; stopped by `close()`. */
  startWorker(
    overrides?: Partial<WorkerOptions>,
    options?: { emailWindowMs?: number; webhooks?: ActivityDeps['webhooks'] },
  ): Promise<GoldenThreadWorker>;
  close(): Promise<void>;
}

/**
 * Opens a private database (seeded) and task queue on the shared test servers,
 * or on a server of the test's own (one it will stop or kill).
 */
export async function openTestStack(
  name: string,
  options: {
    seed?: boolean;
    smtp?: SmtpSinkOptions;
    /** A Temporal server of the test's own instead of the shared one. */
    temporalAddress?: string;
    /** A database server of the test's own (`mongodb://host:port/`) instead of the shared one. */
    mongodbBase?: string;
    /** Workers hold each person's emails this long to send them as one (default 0: at once). */
    emailWindowMs?: number;
  } = {},
): Promise<TestStack> {
  quietTemporalRuntime();
  const suffix = randomUUID().slice(0, 8);
  const temporalAddress = options.temporalAddress ?? inject('temporalAddress');
  const mongodbUri = `${options.mongodbBase ?? inject('mongodbUri')}gt-${name}-${suffix}`;
  const taskQueue = `gt-${name}-${suffix}`;
  const store = await openStore(mongodbUri);
  if (options.seed !== false) await seedDirectory(store.models);
  // Test files share one Temporal namespace: give each database its own range of
  // barrier ids so their workflow ids (barrier-GT-n) never meet.
  await store.models.Counter.create({ _id: 'barrier', value: randomInt(1, 90_000) * 1_000 });
  await store.models.Counter.create({ _id: 'ask', value: randomInt(1, 90_000) * 1_000 });
  const mailbox = await startSmtpSink(options.smtp);
  const transport = createSmtpTransport({
    url: mailbox.url,
    from: 'Golden Thread <gt@example.org>',
  });
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const workers: {
    worker: GoldenThreadWorker;
    running: Promise<void>;
    conn: NativeConnection;
  }[] = [];
  return {
    temporalAddress,
    namespace: 'default',
    taskQueue,
    mongodbUri,
    store,
    client,
    connection,
    mailbox,
    async startWorker(overrides, workerOptions) {
      const conn = await NativeConnection.connect({ address: temporalAddress });
      const worker = await createWorker({
        connection: conn,
        namespace: 'default',
        taskQueue,
        deps: {
          models: store.models,
          email: {
            transport,
            publicBaseUrl: TEST_BASE_URL,
            // Each email at once unless a test asks for a window.
            emailWindowMs: workerOptions?.emailWindowMs ?? options.emailWindowMs ?? 0,
          },
          webhooks: workerOptions?.webhooks,
        },
        workflowBundlePath: inject('workflowBundlePath'),
        overrides,
      });
      const running = worker.run();
      workers.push({ worker, running, conn });
      return worker;
    },
    async close() {
      for (const w of workers) {
        if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
        await w.running.catch(() => undefined);
        await w.conn.close();
      }
      await connection.close();
      await transport.close();
      await mailbox.close();
      await store.conn.dropDatabase().catch(() => undefined);
      await store.close();
    },
  };
}
