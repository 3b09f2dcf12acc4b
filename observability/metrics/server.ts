/**
 * The metrics listener: `/metrics` in Prometheus's text format on a port of its
 * own (METRICS_HOST, loopback by default), apart from the site, so that the
 * figures are never on the public internet unless an operator puts them there.
 */
import { createServer, type Server } from 'node:http';
import { collectForScrape, registry } from './metrics.ts';

export interface MetricsServer {
  /** `http://host:port/metrics`. */
  url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** More text to serve after ours (the Temporal SDK's own metrics on a worker). */
  extra?: () => Promise<string>;
}

/** Starts the listener; fails naming the variable to change when the port is taken. */
export async function startMetricsServer(
  options: MetricsServerOptions,
  portVariable = 'METRICS_PORT',
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Only /metrics here.\n');
      return;
    }
    void (async () => {
      try {
        await collectForScrape();
        const ours = await registry.metrics();
        const theirs = options.extra ? await options.extra().catch(() => '') : '';
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(theirs ? `${ours}\n${theirs}` : ours);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `Port ${options.port} (metrics) is already in use: stop what holds it or set ${portVariable}.`,
            )
          : err,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
