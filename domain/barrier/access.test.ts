import { describe, expect, it } from 'vitest';
import { canRaise, canSee, roleProblem, type BarrierScope } from './access.ts';
import type { Actor } from './types.ts';

const b = (
  stage: BarrierScope['stage'],
  locality = 'wigan',
  neighbourhood = 'leigh',
): BarrierScope => ({
  locality,
  neighbourhood,
  stage,
  ownerEmail: 'owner@example.org',
  raisedBy: 'lead@example.org',
});
const wiganLead: Actor = { email: 'lead@example.org', role: 'locality-lead', locality: 'wigan' };
const leighLead: Actor = {
  email: 'n@example.org',
  role: 'neighbourhood-lead',
  locality: 'wigan',
  neighbourhood: 'leigh',
};
const triage: Actor = { email: 't@example.org', role: 'gmca-triage' };

describe('access', () => {
  it('scopes what each role sees', () => {
    expect(canSee(wiganLead, b('gmca'))).toBe(true);
    expect(canSee(wiganLead, b('neighbourhood', 'bolton', 'turton'))).toBe(false);
    expect(canSee(leighLead, b('neighbourhood'))).toBe(true);
    expect(canSee(leighLead, b('neighbourhood', 'wigan', 'wigan-central'))).toBe(false);
    expect(canSee(triage, b('neighbourhood', 'bolton'))).toBe(true);
  });

  it('lets only locality leads raise, in their own locality', () => {
    expect(canRaise(wiganLead, 'wigan')).toBe(true);
    expect(canRaise(wiganLead, 'bolton')).toBe(false);
    expect(canRaise(leighLead, 'wigan')).toBe(false);
    expect(canRaise(triage, 'wigan')).toBe(false);
  });

  it('matches roles to stages', () => {
    expect(roleProblem(leighLead, 'acknowledge', b('neighbourhood'))).toBeUndefined();
    expect(roleProblem(leighLead, 'acknowledge', b('locality'))).toMatch(/neighbourhood stage/);
    expect(roleProblem(wiganLead, 'escalate', b('locality'))).toBeUndefined();
    expect(roleProblem(wiganLead, 'resolve', b('gmca'))).toMatch(/locality leads act/);
    expect(roleProblem(triage, 'resolve', b('gmca'))).toBeUndefined();
    expect(roleProblem(triage, 'acknowledge', b('neighbourhood'))).toMatch(/GMCA staff act/);
    expect(roleProblem(triage, 'comment', b('neighbourhood'))).toBeUndefined();
    expect(roleProblem(wiganLead, 'migrate-policy', b('neighbourhood'))).toMatch(/only an admin/);
  });
});
