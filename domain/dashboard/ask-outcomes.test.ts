import { describe, expect, it } from 'vitest';
import { asksByOutcome } from './ask-outcomes.ts';

describe('asksByOutcome', () => {
  it('counts every outcome, and the submitted asks still waiting for one', () => {
    expect(
      asksByOutcome([
        { status: 'answered', outcome: 'agreed' },
        { status: 'answered', outcome: 'agreed' },
        { status: 'answered', outcome: 'no-response' },
        { status: 'submitted', outcome: null },
        { status: 'draft' },
      ]),
    ).toEqual([
      { label: 'agreed', value: 2 },
      { label: 'partially-agreed', value: 0 },
      { label: 'declined', value: 0 },
      { label: 'no-response', value: 1 },
      { label: 'awaiting', value: 1 },
    ]);
  });
});
