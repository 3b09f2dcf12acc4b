import { describe, expect, it } from 'vitest';
import { sharedReadsBegunAfterAsking } from '../../store/read-cache.ts';

/** A read whose answers the test hands out by hand, counting how many began. */
function controlledRead() {
  const pending: ((n: number) => void)[] = [];
  let begun = 0;
  const read = () =>
    new Promise<number>((resolve) => {
      begun++;
      pending.push(resolve);
    });
  return {
    read,
    begun: () => begun,
    /** Ends the oldest read still running with `n`. */
    finish: async (n: number) => {
      pending.shift()!(n);
      // Let the continuations run, as the event loop would before the next request.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

describe('stamp reads shared between concurrent requests', () => {
  it('gives a caller that asks during a read the next read, never the one under way', async () => {
    const r = controlledRead();
    const shared = sharedReadsBegunAfterAsking(r.read);
    const first = shared();
    // Asked after the first read began: a write finished just before now could be missing from it.
    const second = shared();
    const third = shared();
    expect(r.begun()).toBe(1);
    await r.finish(1);
    expect(await first).toBe(1);
    // The two that waited share one read, begun after both asked.
    expect(r.begun()).toBe(2);
    await r.finish(2);
    expect(await second).toBe(2);
    expect(await third).toBe(2);
  });

  it('reads again for a caller that asks after the reads have ended', async () => {
    const r = controlledRead();
    const shared = sharedReadsBegunAfterAsking(r.read);
    const first = shared();
    await r.finish(1);
    expect(await first).toBe(1);
    const later = shared();
    expect(r.begun()).toBe(2);
    await r.finish(2);
    expect(await later).toBe(2);
  });

  it('begins the next read after a failed one, and does not hand the failure on', async () => {
    let calls = 0;
    const shared = sharedReadsBegunAfterAsking(() => {
      calls++;
      return calls === 1
        ? Promise.reject(new Error('the database is away'))
        : Promise.resolve(calls);
    });
    const failed = shared();
    const waiting = shared();
    await expect(failed).rejects.toThrow('the database is away');
    expect(await waiting).toBe(2);
  });
});
