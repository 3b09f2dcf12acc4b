/** Barrier and ask references come from a counter that concurrent first requests must not break. */
import { afterAll, describe, expect } from 'vitest';
import { nextSequence, openStore, type Store } from '../../store/store.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

const it = stackTest('sequence', { stack: { seed: false }, worker: false });
let stack: TestStack;
let second: Store;
it.beforeAll(async ({ stack: s }) => {
  stack = s;
  // Another process on the same database: its own connection, so its own idea of where to look.
  second = await openStore(stack.mongodbUri);
});
afterAll(async () => {
  await second?.close();
});

const ascending = (values: number[]) => [...values].sort((a, b) => a - b);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('nextSequence', () => {
  it('hands out each number once when many first requests race for a new counter', async () => {
    const values = await Promise.all(
      Array.from({ length: 20 }, () => nextSequence(stack.store.models, 'race')),
    );
    expect(ascending(values)).toEqual(oneTo(20));
  });

  it('hands out each number once, with no gaps, when two processes allocate at once', async () => {
    const values = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        nextSequence((i % 2 ? second : stack.store).models, 'two-processes'),
      ),
    );
    expect(ascending(values)).toEqual(oneTo(40));
  });

  it('lets a process that was idle carry on after the numbers another process took', async () => {
    const first = await nextSequence(stack.store.models, 'idle');
    for (let i = 0; i < 25; i++) await nextSequence(second.models, 'idle');
    expect(await nextSequence(stack.store.models, 'idle')).toBe(first + 26);
  });

  it('starts a new process where the counter says, never on a number already claimed', async () => {
    for (let i = 0; i < 13; i++) await nextSequence(stack.store.models, 'restart');
    const restarted = await openStore(stack.mongodbUri);
    try {
      expect(await nextSequence(restarted.models, 'restart')).toBe(14);
      expect(await nextSequence(stack.store.models, 'restart')).toBe(15);
    } finally {
      await restarted.close();
    }
  });
});
