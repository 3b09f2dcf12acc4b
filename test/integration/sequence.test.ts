/** Barrier and ask references come from a counter that concurrent first requests must not break. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextSequence } from '../../store/store.ts';
import { openTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('sequence', { seed: false });
});
afterAll(async () => stack?.close());

describe('nextSequence', () => {
  it('hands out each number once when many first requests race for a new counter', async () => {
    const values = await Promise.all(
      Array.from({ length: 20 }, () => nextSequence(stack.store.models, 'race')),
    );
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
