/**
 * The API process: `npm run api`. Serves against the servers the environment
 * names and drains gracefully on SIGINT/SIGTERM.
 */
// First: tracing instruments modules as they load.
import { tracing } from './tracing.ts';
import { loadConfig, requireServers } from '../config.ts';
import { DEFAULT_POLICY } from '../domain/policy/policy.ts';
import { loadPolicyFile } from '../store/policy-store.ts';
import { runMain } from '../run-main.ts';
import { createLogger } from '../services/logger.ts';
import { startApiServer } from './start.ts';
import { startMetricsServer } from '../observability/metrics/server.ts';

await runMain('api', async () => {
  const config = loadConfig();
  const defaultPolicy = config.slaPolicyFile
    ? loadPolicyFile(config.slaPolicyFile)
    : DEFAULT_POLICY;
  const { temporalAddress, mongodbUri } = requireServers(config);
  const logger = createLogger('api', config.logLevel);
  const api = await startApiServer({
    config,
    temporalAddress,
    mongodbUri,
    logger,
    defaultPolicy,
    tracing,
  });
  logger.info('listening', { url: api.url });
  const metrics = config.metrics.enabled
    ? await startMetricsServer({ host: config.metrics.host, port: config.metrics.port })
    : undefined;
  if (metrics) logger.info('metrics', { url: metrics.url });
  const stop = async (signal: string) => {
    logger.info('draining', { signal });
    await api.close();
    await metrics?.close();
    await tracing?.shutdown();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
});
