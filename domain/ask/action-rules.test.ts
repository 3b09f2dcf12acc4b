import { describe, expect, it } from 'vitest';
import { availableAskActions } from './action-rules.ts';

describe('the actions an ask allows', () => {
  it.each([
    ['draft', 2, ['add-barrier', 'remove-barrier', 'submit', 'withdraw']],
    // Its last barrier cannot go: the ask is withdrawn instead.
    ['draft', 1, ['add-barrier', 'submit', 'withdraw']],
    ['submitted', 2, ['chase', 'record-response', 'withdraw']],
    ['answered', 2, []],
    ['withdrawn', 2, []],
  ] as const)('a %s ask of %i barriers allows %j', (status, barriers, actions) => {
    expect(availableAskActions({ status, barriers })).toEqual(actions);
  });
});
