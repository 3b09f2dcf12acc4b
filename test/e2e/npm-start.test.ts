/**
 * `npm start` as a person runs it: a real process tree on free ports with its
 * own data folder. Checks what it prints, readiness, the Temporal Web UI, a
 * database outage, Ctrl-C, and that a second start keeps the data.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { signToken } from '../../auth/tokens.ts';
import { freePort, portOpen } from '../../scripts/servers/process.ts';
import { localityLead, neighbourhood } from '../support/people.ts';

const SECRET = 'npm-start-test-secret-0123456789abcdef';
const dataDir = mkdtempSync(join(tmpdir(), 'gt-npm-start-'));
let ports: { api: number; temporal: number; ui: number; db: number };
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

async function start(): Promise<{ child: ChildProcess; output: () => string }> {
  ports ??= {
    api: await freePort(),
    temporal: await freePort(),
    ui: await freePort(),
    db: await freePort(),
  };
  let out = '';
  const child = spawn('npm', ['start'], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(ports.api),
      LOCAL_TEMPORAL_PORT: String(ports.temporal),
      LOCAL_TEMPORAL_UI_PORT: String(ports.ui),
      LOCAL_MONGODB_PORT: String(ports.db),
      GOLDEN_THREAD_DATA_DIR: dataDir,
      AUTH_SECRET: SECRET,
      TEMPORAL_ADDRESS: '',
      MONGODB_URI: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 90_000;
  while (!out.includes('Golden Thread is running.')) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${out}`);
    await sleep(200);
  }
  return { child, output: () => out };
}

/** Ctrl-C as a terminal sends it (to the whole process group); true once every process is gone. */
async function stop(child: ChildProcess): Promise<boolean> {
  process.kill(-child.pid!, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      return true; // no process left in the group
    }
    await sleep(100);
  }
  return false;
}

const api = (path: string, init?: RequestInit) =>
  fetch(`http://127.0.0.1:${ports.api}${path}`, init);

describe('npm start', () => {
  it('brings up the stack, survives nothing being wrong, reports a dead database, stops on Ctrl-C, and keeps data', async () => {
    const first = await start();
    const printed = first.output();
    for (const url of [
      `http://localhost:${ports.api}/api/v1`,
      '/api/v1/openapi.json',
      '/readyz',
      `Temporal Web UI http://127.0.0.1:${ports.ui}`,
      dataDir,
    ]) {
      expect(printed).toContain(url);
    }
    expect(printed).toContain('seeded the directory (first run)');
    expect((await api('/readyz')).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);

    const token = await signToken(SECRET, localityLead('wigan'));
    const raised = await api('/api/v1/barriers', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Survives a restart',
        description: 'd',
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'estates',
      }),
    });
    expect(raised.status).toBe(201);
    const { id } = (await raised.json()) as { id: string };
    expect(id).toBe('GT-0001');
    // No relay configured: the assignment email waits in the development mailbox.
    expect(printed).toContain(`http://localhost:${ports.api}/dev/mailbox`);
    let mailbox = '';
    for (let i = 0; i < 50 && !mailbox.includes('[GT-0001] Assigned to you'); i++) {
      await sleep(200);
      mailbox = await (await api('/dev/mailbox.json')).text();
    }
    expect(mailbox).toContain('[GT-0001] Assigned to you: Survives a restart');
    expect(mailbox).toContain(neighbourhood('wigan', 'leigh').lead);

    expect(await stop(first.child)).toBe(true);
    expect(first.output()).toContain('stopped; data kept in');
    for (const p of Object.values(ports)) expect(await portOpen('127.0.0.1', p)).toBe(false);

    const second = await start();
    expect(second.output()).not.toContain('seeded the directory');
    const again = await api(`/api/v1/barriers/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { title: string }).title).toBe('Survives a restart');

    // Stop FerretDB underneath the running stack: /readyz names it.
    execFileSync('pkill', ['-f', `ferretdb --listen-addr 127.0.0.1:${ports.db}`]);
    let down: Response | undefined;
    for (let i = 0; i < 20; i++) {
      down = await api('/readyz');
      if (down.status === 503) break;
      await sleep(250);
    }
    expect(down?.status).toBe(503);
    expect(((await down!.json()) as { dependency: string }).dependency).toBe('database');
    expect(await stop(second.child)).toBe(true);
  }, 240_000);
});
