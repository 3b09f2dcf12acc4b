import { describe, expect, it } from 'vitest';
import type { BarrierScope } from '../access.ts';
import { availableActions, stateProblem, type ActionState } from './action-rules.ts';
import type { Actor } from './types.ts';
import { BARRIER_ACTION_TYPES } from './schemas.ts';
import { T0, lead, policy24x7, raise } from './test-machine.ts';

const triage: Actor = { email: 'gmca@example.org', role: 'gmca-triage' };
const admin: Actor = { email: 'admin@example.org', role: 'admin' };
const policy = policy24x7();

/** A command of each type whose arguments raise no problem of their own. */
const commandOf = (type: (typeof BARRIER_ACTION_TYPES)[number]) =>
  ({
    type,
    to: { email: 'someone-new@example.org', name: 'New' },
    into: 'GT-0999',
    with: 'GT-0998',
    askId: 'ASK-0001',
    owner: { email: 'gmca@example.org', name: 'G' },
    resolveTarget: 'P1D',
    policy: { ...policy, version: 2 },
    reason: 'r',
  }) as never;

describe('action rules', () => {
  it('are the machine’s: for every state on the way, stateProblem and problemWith agree', () => {
    const m = raise();
    const states: [string, () => void][] = [
      ['routed', () => undefined],
      ['acknowledged', () => m.apply({ type: 'acknowledge' }, lead, T0 + 1000)],
      [
        'paused',
        () =>
          m.apply(
            { type: 'request-info', reason: 'awaiting-information', question: 'q' },
            lead,
            T0 + 2000,
          ),
      ],
      ['resumed', () => m.apply({ type: 'provide-info', response: 'a' }, lead, T0 + 3000)],
      ['at locality', () => m.apply({ type: 'escalate', reason: 'r' }, lead, T0 + 4000)],
      ['at gmca', () => m.apply({ type: 'escalate', reason: 'r' }, lead, T0 + 5000)],
      ['resolved', () => m.apply({ type: 'resolve', resolution: 'done' }, triage, T0 + 6000)],
    ];
    for (const [name, step] of states) {
      step();
      const now = T0 + 7000;
      for (const type of BARRIER_ACTION_TYPES) {
        expect(stateProblem(type, m.actionState(), now), `${name}: ${type}`).toBe(
          m.problemWith(commandOf(type), now),
        );
      }
    }
  });

  it('offer a lead acknowledge at the neighbourhood stage, and not again once acknowledged', () => {
    const scope: BarrierScope = {
      locality: 'wigan',
      neighbourhood: 'leigh',
      stage: 'neighbourhood',
      ownerEmail: 'owner@example.org',
      raisedBy: lead.email,
    };
    const fresh: ActionState = {
      status: 'open',
      stage: 'neighbourhood',
      acknowledged: false,
      pauseReason: null,
      reopenUntil: null,
    };
    expect(availableActions(lead, { ...scope, ...fresh }, T0)).toEqual([
      'acknowledge',
      'comment',
      'request-info',
      'reassign',
      'escalate',
      'resolve',
      'withdraw',
    ]);
    expect(availableActions(lead, { ...scope, ...fresh, acknowledged: true }, T0)).not.toContain(
      'acknowledge',
    );
    // GMCA staff act only at gmca: here they may only comment.
    expect(availableActions(triage, { ...scope, ...fresh }, T0)).toEqual(['comment']);
  });

  it('offer reopen only within the window, and triage decisions only at gmca', () => {
    const scope: BarrierScope = {
      locality: 'wigan',
      neighbourhood: 'leigh',
      stage: 'gmca',
      ownerEmail: null,
      raisedBy: lead.email,
    };
    const resolved: ActionState = {
      status: 'resolved',
      stage: 'gmca',
      acknowledged: true,
      pauseReason: null,
      reopenUntil: T0,
    };
    expect(availableActions(admin, { ...scope, ...resolved }, T0 - 1)).toContain('reopen');
    expect(availableActions(admin, { ...scope, ...resolved }, T0 + 1)).not.toContain('reopen');
    const atGmca: ActionState = { ...resolved, status: 'open', acknowledged: false };
    expect(availableActions(triage, { ...scope, ...atGmca }, T0)).toEqual(
      expect.arrayContaining(['accept', 'return', 'merge', 'link', 'promote']),
    );
    expect(availableActions(triage, { ...scope, ...atGmca }, T0)).not.toContain('escalate');
  });
});
