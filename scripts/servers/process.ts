/**
 * Spawning and stopping the local servers: free ports, readiness waits, logs, and
 * builds that show progress and fail with a message saying what to do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer, connect } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { diagnose } from './diagnose.ts';

/** A failure to find, build or start a server, phrased for the person at the terminal. */
export class StackError extends Error {
  override readonly name = 'StackError';
}

/** The last lines of a log file ('' when there is none yet). */
function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Prints a progress line to stderr, so stdout stays clean for scripts. */
export function progress(message: string): void {
  process.stderr.write(`[golden-thread] ${message}\n`);
}

/**
 * The range the kernel takes local ports of outgoing connections from. A port
 * chosen there can be taken by any client socket (a test's HTTP request, a
 * driver's pool) between choosing it and a server binding it.
 */
export function ephemeralPortRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low! <= high!) return [low!, high!];
  } catch {
    // not Linux: fall through
  }
  return [32_768, 60_999]; // Linux's default; macOS and Windows use 49152-65535
}

/** The lowest port freePort chooses: above the well-known and most registered ports. */
const LOWEST_CHOSEN_PORT = 20_000;

/** Listens on 127.0.0.1:port (0: a port the kernel chooses) and closes; the port, or null if taken. */
function probePort(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(address && typeof address === 'object' ? address.port : null));
    });
  });
}

/**
 * Returns a TCP port on 127.0.0.1 that was free a moment ago, for a server
 * started later. Chosen below the ephemeral range, so no outgoing connection
 * can take it in the meantime; the kernel's choice is the fallback.
 */
export async function freePort(): Promise<number> {
  const below = ephemeralPortRange()[0];
  for (let attempt = 0; below > LOWEST_CHOSEN_PORT && attempt < 100; attempt++) {
    const port = await probePort(
      LOWEST_CHOSEN_PORT + Math.floor(Math.random() * (below - LOWEST_CHOSEN_PORT)),
    );
    if (port !== null) return port;
  }
  const port = await probePort(0);
  if (port === null) throw new Error('could not listen on 127.0.0.1 to find a free port');
  return port;
}

/** True when something accepts TCP connections on host:port. */
export async function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Fails with a clear message when a port we were told to use is already taken. */
export async function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  if (await portOpen('127.0.0.1', port)) {
    throw new StackError(
      `Port ${port} for ${what} is already in use. Stop whatever holds it, or choose another port with ${variable}.`,
    );
  }
}

/** Finds an executable on PATH. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** A server process we started, with its log file and a way to stop it. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Kills it outright (SIGKILL), as a crash or a pulled plug would, and waits for it to go. */
  crash(): Promise<void>;
}

// Servers run in their own process group, so a Ctrl-C reaches only us and we
// stop things in order (API, worker, then servers). Whatever is still running
// when this process exits, for any reason short of SIGKILL, is killed with it.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts a long-running server process whose output goes to `logFile`. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): ManagedProcess {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.once('error', (err) =>
    log.write(`\n[golden-thread] could not start ${command}: ${err.message}\n`),
  );
  return {
    name,
    child,
    logFile,
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
    async crash() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      log.end();
    },
  };
}

/** Waits until `host:port` accepts connections, failing early if the process dies. */
export async function waitForPort(
  proc: ManagedProcess,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      const cause = diagnose(logTail(proc.logFile), dirname(dirname(proc.logFile)));
      throw new StackError(
        `${proc.name} exited (code ${proc.child.exitCode ?? proc.child.signalCode}) before it answered on ${host}:${port}${
          cause ? `: ${cause}` : '.'
        } Its log: ${proc.logFile}`,
      );
    }
    if (await portOpen(host, port)) return;
    await sleep(100);
  }
  await proc.stop(1000);
  throw new StackError(
    `${proc.name} did not answer on ${host}:${port} within ${Math.round(timeoutMs / 1000)} s. Its log: ${proc.logFile}`,
  );
}

/**
 * Runs a build command, echoing a heartbeat so a long first build never looks hung.
 * On failure, throws a StackError carrying the tail of its output and `hint`.
 */
export async function runBuild(
  label: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; hint: string },
): Promise<void> {
  progress(`${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const tail: string[] = [];
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > 30) tail.shift();
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const heartbeat = setInterval(() => {
    const secs = Math.round((Date.now() - started) / 1000);
    const last = tail.at(-1)?.slice(0, 100) ?? '';
    progress(`${label}: still working (${secs} s) ${last}`);
  }, 15_000);
  const code = await new Promise<number | string>((resolve) => {
    child.once('error', (err) => resolve(err.message));
    child.once('exit', (c, signal) => resolve(c ?? signal ?? 'unknown'));
  }).finally(() => clearInterval(heartbeat));
  if (code !== 0) {
    const cause = diagnose(tail.join('\n'), options.cwd ?? process.cwd());
    throw new StackError(
      `${label} failed (${code}).\n${tail.join('\n')}\n\nWhat to do: ${
        cause ? `${label} failed because ${cause}` : options.hint
      }`,
    );
  }
  progress(`${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Builds `target` at most once per machine: concurrent callers (several test
 * workers, two terminals) wait on one lock directory instead of building twice.
 */
export async function buildOnce(target: string, build: () => Promise<void>): Promise<void> {
  if (existsSync(target)) return;
  const lock = `${target}.lock`;
  mkdirSync(dirname(target), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process holds the lock; a lock older than 30 minutes is stale.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30 * 60_000) rmSync(lock, { recursive: true });
      } catch {
        /* it went away between the two calls */
      }
      if (existsSync(target)) return;
      await sleep(500);
    }
  }
  try {
    if (!existsSync(target)) await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A Go program the stack needs, found or built from its Go module into the cache. */
export interface GoTool {
  /** The variable naming a binary to use instead (`TEMPORAL_CLI`). */
  envVar: string;
  /** Its name on PATH, when a binary there will do. */
  onPath?: string;
  /** Where the built binary is cached. */
  target: string;
  /** What is built, in messages: "the Temporal CLI v1.5.1". */
  what: string;
  /** Why it is built, in the message when Go is missing: "to check the alert rules". */
  why?: string;
  /** The Go its module needs: "1.24". */
  goVersion: string;
  /** What to do instead of building it: "set TEMPORAL_CLI to one". */
  instead: string;
  /**
   * Builds it in `staging` (a fresh folder) and returns the built binary's
   * path; `hint` is what to say if a build step fails.
   */
  build: (go: string, staging: string, hint: string) => Promise<string>;
}

/**
 * The binary `tool` names (its variable, then PATH), or the cached build of
 * its pinned version, built the first time (one process builds, others wait).
 */
export async function findOrBuildGoTool(tool: GoTool): Promise<string> {
  const fromEnv = process.env[tool.envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new StackError(`${tool.envVar} is set to ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const onPath = tool.onPath ? which(tool.onPath) : undefined;
  if (onPath) return onPath;
  await buildOnce(tool.target, async () => {
    const go = requireTool(
      'go',
      `Building ${tool.what}${tool.why ? ` (${tool.why})` : ''}`,
      `Install Go ${tool.goVersion} or later (Debian: apt-get install golang-go; newer toolchains the module asks for come from the Go module proxy), or ${tool.instead}.`,
    );
    progress(`building ${tool.what} from its Go module (first run only, a few minutes)`);
    const staging = `${tool.target}.building`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    try {
      const hint = `check that the Go module proxy is reachable (GOPROXY) and there is disk space, or ${tool.instead}.`;
      renameSync(await tool.build(go, staging, hint), tool.target);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  });
  return tool.target;
}

/** Throws a StackError when a tool a build needs is not on PATH. */
export function requireTool(tool: string, why: string, install: string): string {
  const found = which(tool);
  if (!found) throw new StackError(`${why} needs \`${tool}\`, which is not on PATH. ${install}`);
  return found;
}
