/**
 * `npm start`: the whole stack on this machine. Builds what is missing, starts
 * Temporal and FerretDB (unless TEMPORAL_ADDRESS / MONGODB_URI name others),
 * seeds the directory on first run, runs the worker and the API, prints the
 * URLs. Ctrl-C stops everything; data stays in data/ for the next start.
 */
// First: tracing instruments modules as they load.
import { tracing } from './lib/tracing.ts';
import { loadConfig } from '../config.ts';
import { DEFAULT_POLICY } from '../domain/policy/policy.ts';
import { createLogger } from '../services/logger.ts';
import { startApiServer } from '../server/start.ts';
import { loadPolicyFile } from '../store/policy-store.ts';
import { openStore } from '../store/store.ts';
import { seedDirectory } from '../store/seed/seed-directory.ts';
import { bootWorker, emailDepsFrom } from '../worker/boot.ts';
import { startWorkerMetrics } from '../worker/metrics.ts';
import { createTransportFromConfig } from '../notify/create-transport.ts';
import { createSmtpTransport } from '../notify/smtp-transport.ts';
import { startSmtpSink, type SmtpSink } from '../notify/smtp-sink.ts';
import { startLocalServers } from './lib/local-stack.ts';
import { loadLocalStackConfig } from './lib/local-stack-config.ts';
import { runScript } from './lib/run-script.ts';
import { progress } from './servers/process.ts';

async function withTimeout(p: Promise<unknown>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    p.then(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        progress(message);
        resolve();
      }, ms);
    }),
  ]);
  clearTimeout(timer);
}

await runScript('start', async () => {
  const config = loadConfig();
  const local = loadLocalStackConfig();
  const defaultPolicy = config.slaPolicyFile
    ? loadPolicyFile(config.slaPolicyFile)
    : DEFAULT_POLICY;
  const servers = await startLocalServers(config, local);
  const cleanups: (() => Promise<void>)[] = [() => servers.stop(), async () => tracing?.shutdown()];
  const stopAll = async () => {
    for (const c of cleanups.reverse())
      await c().catch((err: unknown) => progress(`while stopping: ${String(err)}`));
  };
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    progress(`${signal}: stopping the API, the worker and the servers…`);
    void stopAll().then(() => {
      progress('stopped; data kept in ' + local.dataDir);
      process.exit(0);
    });
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  try {
    const store = await openStore(servers.mongodbUri);
    cleanups.push(() => store.close());
    if (await seedDirectory(store.models, defaultPolicy))
      progress('seeded the directory (first run)');

    // No relay configured: keep emails in an embedded SMTP sink with a mailbox page.
    let devMailbox: SmtpSink | undefined;
    let transport;
    if (!config.smtpUrl && !config.notifyApiKey && config.env !== 'production') {
      devMailbox = await startSmtpSink();
      const sink = devMailbox;
      cleanups.push(() => sink.close());
      transport = createSmtpTransport({ url: sink.url, from: config.email.from });
    } else {
      transport = createTransportFromConfig(config);
    }
    const emails = transport;
    cleanups.push(() => emails.close());

    // One process: the worker's metrics and the API's on one listener (METRICS_PORT).
    const metrics = await startWorkerMetrics(
      config,
      store.models,
      config.metrics.port,
      'METRICS_PORT',
    );
    if (metrics) cleanups.push(() => metrics.close());

    progress('bundling workflows and starting the worker');
    const { worker, close: closeWorker } = await bootWorker({
      config,
      temporalAddress: servers.temporalAddress,
      deps: {
        models: store.models,
        email: emailDepsFrom(config, transport),
      },
      say: progress,
      tracing,
    });
    const running = worker.run();
    cleanups.push(async () => {
      // Temporal's runtime may already have begun shutdown on the same signal.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await withTimeout(
        running,
        20_000,
        'the worker did not finish its tasks in 20 s; stopping anyway',
      );
      await closeWorker();
    });

    const api = await startApiServer({
      config,
      temporalAddress: servers.temporalAddress,
      mongodbUri: servers.mongodbUri,
      logger: createLogger('api', config.logLevel),
      defaultPolicy,
      devMailbox,
      tracing,
    });
    cleanups.push(() => api.close());

    const base = `http://localhost:${config.port}`;
    console.log(`
Golden Thread is running.

  Pages           ${base}/   (development sign-in: choose a seeded person)
  API             ${base}/api/v1
  OpenAPI         ${base}/api/v1/openapi.json
  Health          ${base}/healthz   ${base}/readyz${metrics ? `\n  Metrics         ${metrics.url}` : ''}${devMailbox ? `\n  Mailbox (dev)   ${base}/dev/mailbox   (SMTP sink ${devMailbox.url})` : `\n  Emails via      ${transport.name}`}
  Temporal        ${servers.temporalAddress}${servers.temporalUiUrl ? `\n  Temporal Web UI ${servers.temporalUiUrl}` : ''}
  Database        ${servers.mongodbUri.replace(/\/\/[^@]*@/, '//***@')}
  Data folder     ${local.dataDir}

  A token:  npm run -s token -- --role locality-lead --locality wigan --email <a seeded lead>
  Stop:     Ctrl-C
`);
    await running;
  } catch (err) {
    await stopAll();
    throw err;
  }
});
