/**
 * Jaeger all-in-one (v2, on the OpenTelemetry Collector), the trace backend
 * the tracing test sends to: found ($JAEGER_BIN, then PATH) or built from its
 * Go module into the cache, then started on loopback with traces in memory.
 *
 * Jaeger's go.mod has replace directives, so `go install …@version` refuses
 * it; it is built inside a scratch module that requires it as a tool instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findOrBuildGoTool,
  freePort,
  runBuild,
  startProcess,
  waitForPort,
  type ManagedProcess,
} from './process.ts';
import { JAEGER_VERSION } from './versions.ts';

const MODULE = 'github.com/jaegertracing/jaeger/cmd/jaeger';

/** Returns the path of a Jaeger binary, building the pinned one when none is found. */
export function ensureJaeger(cacheDir: string): Promise<string> {
  return findOrBuildGoTool({
    envVar: 'JAEGER_BIN',
    onPath: 'jaeger',
    target: join(cacheDir, `jaeger-${JAEGER_VERSION}`, 'jaeger'),
    what: `Jaeger v${JAEGER_VERSION}`,
    why: 'the trace backend of the tracing test',
    goVersion: '1.24',
    instead: 'put a Jaeger v2 `jaeger` binary on PATH or in JAEGER_BIN',
    build: async (go, staging, hint) => {
      const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-trimpath' };
      const build = (label: string, args: string[]) =>
        runBuild(label, go, args, { cwd: staging, env, hint });
      await build('Jaeger build (module)', ['mod', 'init', 'golden-thread/jaeger-build']);
      await build('Jaeger build (sources)', ['get', '-tool', `${MODULE}@v${JAEGER_VERSION}`]);
      await build('Jaeger build', ['build', '-o', join(staging, 'jaeger'), MODULE]);
      return join(staging, 'jaeger');
    },
  });
}

/** A running Jaeger. */
export interface JaegerServer {
  /** Where OTLP over HTTP is received: the value for OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpHttpUrl: string;
  /** The query UI and its HTTP API (`/api/traces`, `/api/v3/traces`). */
  queryUrl: string;
  process: ManagedProcess;
}

/**
 * Jaeger's configuration: all-in-one with traces in memory, receiving OTLP and
 * answering queries on the given loopback ports, nothing else listening.
 */
export function jaegerConfig(ports: {
  otlpGrpc: number;
  otlpHttp: number;
  query: number;
  queryGrpc: number;
}): string {
  return `# Written by scripts/servers/jaeger.ts: all-in-one, traces in memory, loopback only.
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${ports.query}
    grpc:
      endpoint: 127.0.0.1:${ports.queryGrpc}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${ports.otlpGrpc}
      http:
        endpoint: 127.0.0.1:${ports.otlpHttp}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

/** Starts Jaeger on free loopback ports (its config and log under `dataDir/jaeger`) and waits until it answers. */
export async function startJaeger(options: {
  cacheDir: string;
  dataDir: string;
}): Promise<JaegerServer> {
  const bin = await ensureJaeger(options.cacheDir);
  const ports = {
    otlpGrpc: await freePort(),
    otlpHttp: await freePort(),
    query: await freePort(),
    queryGrpc: await freePort(),
  };
  const dir = join(options.dataDir, 'jaeger');
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, jaegerConfig(ports));
  const proc = startProcess('Jaeger', bin, ['--config', configFile], join(dir, 'jaeger.log'));
  await waitForPort(proc, '127.0.0.1', ports.otlpHttp, 60_000);
  await waitForPort(proc, '127.0.0.1', ports.query, 60_000);
  return {
    otlpHttpUrl: `http://127.0.0.1:${ports.otlpHttp}`,
    queryUrl: `http://127.0.0.1:${ports.query}`,
    process: proc,
  };
}
