import { describe, expect, it } from 'vitest';
import { canRaise, canSee, listArea, roleProblem, type BarrierScope } from './access.ts';
import type { Actor } from './barrier/types.ts';

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

describe('list area and seeing one barrier', () => {
  const actors: Actor[] = [wiganLead, leighLead, triage, { email: 'a@example.org', role: 'admin' }];
  const barriers = [
    b('neighbourhood'),
    b('locality', 'wigan', 'wigan-central'),
    b('gmca', 'bolton', 'turton'),
    // Owned by Leigh's lead although in another neighbourhood; raised by Wigan's lead in Bolton.
    { ...b('neighbourhood', 'wigan', 'wigan-central'), ownerEmail: leighLead.email },
    { ...b('gmca', 'bolton', 'turton'), raisers: [wiganLead.email] },
  ];
  const inArea = (area: { locality?: string; neighbourhood?: string }, x: BarrierScope) =>
    (!area.locality || area.locality === x.locality) &&
    (!area.neighbourhood || area.neighbourhood === x.neighbourhood);

  it('lists only barriers the person may open', () => {
    for (const actor of actors) {
      const answer = listArea(actor);
      if (!('area' in answer)) throw new Error('refused');
      for (const x of barriers) if (inArea(answer.area, x)) expect(canSee(actor, x)).toBe(true);
    }
  });

  it('leaves out only what a lead owns or raised outside their area', () => {
    for (const actor of actors) {
      const answer = listArea(actor);
      if (!('area' in answer)) throw new Error('refused');
      for (const x of barriers)
        if (canSee(actor, x) && !inArea(answer.area, x))
          expect(x.ownerEmail === actor.email || (x.raisers ?? []).includes(actor.email)).toBe(
            true,
          );
    }
  });

  it('refuses a list of another area rather than answering with nothing', () => {
    expect(listArea(wiganLead, { locality: 'bolton' })).toEqual({
      refused: 'You can list barriers in wigan only.',
    });
    expect(listArea(leighLead, { neighbourhood: 'wigan-central' })).toEqual({
      refused: 'You can list barriers in leigh only.',
    });
    expect(listArea(triage, { locality: 'bolton' })).toEqual({ area: { locality: 'bolton' } });
  });
});
