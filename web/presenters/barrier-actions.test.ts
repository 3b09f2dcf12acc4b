import { describe, expect, it } from 'vitest';
import { BARRIER_ACTION_TYPES } from '../../domain/barrier/action-types.ts';
import { doneNotice } from './barrier-actions.ts';

describe('the banner after an action on a barrier', () => {
  it('says in words what each kind of action did', () => {
    const said = Object.fromEntries(
      BARRIER_ACTION_TYPES.map((type) => [type, doneNotice(type, 'GT-0042')]),
    );
    expect(said).toEqual({
      acknowledge: 'GT-0042 acknowledged',
      comment: 'GT-0042 comment added',
      'request-info': 'GT-0042 information requested: the clock is paused',
      'provide-info': 'GT-0042 information provided: the clock runs again',
      reassign: 'GT-0042 reassigned',
      escalate: 'GT-0042 escalated',
      resolve: 'GT-0042 resolved',
      withdraw: 'GT-0042 withdrawn',
      reopen: 'GT-0042 reopened',
      'migrate-policy': 'GT-0042 moved to another SLA policy version',
      accept: 'GT-0042 accepted at GM level',
      return: 'GT-0042 returned to the locality',
      merge: 'GT-0042 merged',
      link: 'GT-0042 linked',
      promote: 'GT-0042 promoted to a Whitehall ask',
    });
  });

  it('says whether the reader now follows the barrier', () => {
    expect(doneNotice('follow', 'GT-0042')).toBe(
      'You follow GT-0042: its progress will be emailed to you.',
    );
    expect(doneNotice('unfollow', 'GT-0042')).toBe('You no longer follow GT-0042.');
  });

  it('says nothing for a value that is not an action, however it was forged', () => {
    for (const forged of [
      'constructor',
      '__proto__',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'ACKNOWLEDGE',
      ' acknowledge',
      '<script>',
      '',
      undefined,
      ['acknowledge'],
      { acknowledge: 1 },
    ])
      expect(doneNotice(forged, 'GT-0042')).toBeUndefined();
  });
});
