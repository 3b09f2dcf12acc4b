/**
 * Two workers and two API processes on the same servers; one of each is
 * SIGKILLed under load. Clients retry on the other API with the same
 * Idempotency-Key, as a real client would: nothing is lost, no barrier is
 * duplicated, every barrier is routed, and every email arrives (once, but for
 * the send the dead worker had finished and not yet logged).
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { signToken } from '../../auth/tokens.ts';
import { freePort } from '../../scripts/servers/process.ts';
import { leighRaiseBody } from '../support/api.ts';
import { expectEachEmailOnce } from '../support/emails.ts';
import { localityLead } from '../support/people.ts';
import { runScript, until, type RunningScript } from '../support/processes.ts';
import { openTestStack, TEST_BASE_URL, type TestStack } from '../support/stack.ts';
import { queryBarrierState } from '../../workflows/barrier/lifecycle.ts';

const SECRET = 'faults-processes-secret-0123456789abcdef';
let stack: TestStack | undefined;
afterAll(async () => stack?.close());

describe('a worker and an API process killed under load', () => {
  it('loses and duplicates nothing', async () => {
    stack = await openTestStack('faults-procs');
    const s = stack;
    const env = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      MONGODB_URI: s.mongodbUri,
      TEMPORAL_TASK_QUEUE: s.taskQueue,
      SMTP_URL: s.mailbox.url,
      PUBLIC_BASE_URL: TEST_BASE_URL,
      AUTH_SECRET: SECRET,
      RATE_LIMIT_PER_MINUTE: '0',
    };
    const workers = [runScript('worker/main.ts', env), runScript('worker/main.ts', env)];
    const ports = [await freePort(), await freePort()];
    const apis: RunningScript[] = ports.map((p) =>
      runScript('server/main.ts', { ...env, PORT: String(p) }),
    );
    for (const w of workers)
      await until('a worker', () => w.output().includes('polling task queue'));
    for (const p of ports)
      await until(
        'an API',
        async () => (await fetch(`http://127.0.0.1:${p}/readyz`).catch(() => null))?.status === 200,
      );

    const token = await signToken(SECRET, localityLead('wigan'));
    const alive = [true, true];
    /** Raises barrier `i`, through API `i % 2` while it lives, else (or on failure) the other. */
    const raise = async (i: number): Promise<string> => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const which = alive[(i + attempt) % 2] ? (i + attempt) % 2 : (i + attempt + 1) % 2;
        try {
          const res = await fetch(`http://127.0.0.1:${ports[which]}/api/v1/barriers`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': `load-${i}`,
            },
            body: JSON.stringify(leighRaiseBody(`Under load ${i}`)),
          });
          if (res.status === 201 || res.status === 200)
            return ((await res.json()) as { id: string }).id;
        } catch {
          /* the process died under us: try the other */
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`barrier ${i} could not be raised`);
    };

    const total = 30;
    let killedAt = Infinity;
    let started = 0;
    const results: Promise<string>[] = [];
    const lanes = Array.from({ length: 6 }, async () => {
      while (started < total) {
        const i = started++;
        const p = raise(i);
        results.push(p);
        await p;
        if (i === 10) {
          // Mid-load: kill one API and one worker.
          alive[0] = false;
          apis[0]!.child.kill('SIGKILL');
          workers[0]!.child.kill('SIGKILL');
          killedAt = Date.now();
        }
      }
    });
    await Promise.all(lanes);
    const ids = await Promise.all(results);

    expect(new Set(ids).size).toBe(total);
    expect(await s.store.models.Barrier.countDocuments()).toBe(total);
    expect(await s.store.models.IdempotencyKey.countDocuments()).toBe(total);
    for (const id of ids) {
      // Asked again while Temporal says no live worker has polled lately (see there).
      const state = await queryBarrierState(s.client, id);
      expect(state.owner).not.toBeNull();
      const doc = await s.store.models.Barrier.findById(id).lean();
      expect(doc?.lastSeq).toBe(state.seq);
    }
    const assignedKeys = (ms: { kind: string; key: string }[]) =>
      new Set(ms.filter((m) => m.kind === 'assigned').map((m) => m.key)).size;
    // Sends the dead worker had taken are retried by the live one once their heartbeat lapses.
    await s.mailbox.waitFor((ms) => assignedKeys(ms) >= total, 60_000);
    await new Promise((r) => setTimeout(r, 2_000));
    const mail = s.mailbox.messages();
    expectEachEmailOnce(mail, killedAt);
    expect(assignedKeys(mail)).toBe(total);
    for (const p of [...apis, ...workers]) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  }, 180_000);
});
