/** What "each email once" means when a worker can die mid-send. */
import { expect } from 'vitest';
import type { ReceivedEmail } from '../../notify/smtp-sink.ts';

/**
 * Every key arrived once, but for the one window the README names: a send the
 * dead worker had finished (the relay said 250) and not yet logged is sent
 * again by the next worker, with the same Message-ID, so mail clients show it
 * once. Such a first copy arrived before the worker died (`killedAt`).
 * Returns the distinct keys.
 */
export function expectEachEmailOnce(mail: readonly ReceivedEmail[], killedAt: number): Set<string> {
  const copies = new Map<string, ReceivedEmail[]>();
  for (const m of mail) copies.set(m.key, [...(copies.get(m.key) ?? []), m]);
  for (const [key, same] of copies) {
    if (same.length === 1) continue;
    expect(same, key).toHaveLength(2);
    expect(same[1]!.messageId, key).toBe(same[0]!.messageId);
    expect(same[0]!.receivedAt.getTime(), key).toBeLessThanOrEqual(killedAt + 500);
  }
  return new Set(copies.keys());
}
