import { describe, expect, it } from 'vitest';
import type { Stage } from '../reference-data.ts';
import { NobodyToRouteTo } from './errors.ts';
import {
  chooseOwner,
  ownerCandidates,
  type RouteBarrierInput,
  type RoutingLocality,
  type RoutingPerson,
} from './routing-rules.ts';

const input = (stage: Stage, over: Partial<RouteBarrierInput> = {}): RouteBarrierInput => ({
  barrierId: 'GT-1',
  locality: 'wigan',
  neighbourhood: 'leigh',
  category: 'data-sharing',
  stage,
  ...over,
});

const wigan: RoutingLocality = {
  neighbourhoods: [
    { slug: 'leigh', lead: 'lead@example.org', deputy: 'deputy@example.org' },
    { slug: 'hindley', lead: null, deputy: null },
  ],
  leads: ['locality-lead@example.org', 'second-lead@example.org'],
  specialists: [
    { category: 'data-sharing', email: 'specialist@example.org' },
    { category: 'funding', email: 'funding@example.org' },
  ],
};

const person = (email: string, available = true): RoutingPerson => ({
  _id: email,
  name: email.split('@')[0]!,
  available,
});

/** A directory of these people, counting the look-ups made. */
function directory(...people: RoutingPerson[]) {
  const byEmail = new Map(people.map((p) => [p._id, p]));
  const asked: string[] = [];
  return {
    asked,
    lookUp: (email: string) => {
      asked.push(email);
      return Promise.resolve(byEmail.get(email) ?? null);
    },
  };
}

const everyone = [
  'specialist@example.org',
  'funding@example.org',
  'lead@example.org',
  'deputy@example.org',
  'locality-lead@example.org',
  'second-lead@example.org',
];

async function route(
  stage: Stage,
  people: RoutingPerson[],
  over: Partial<RouteBarrierInput> = {},
  triageTeam: RoutingPerson[] = [],
) {
  const dir = directory(...people, ...triageTeam);
  const i = input(stage, over);
  const owner = await chooseOwner(
    i,
    ownerCandidates(i, { locality: wigan, triageTeam }),
    dir.lookUp,
  );
  return { owner, asked: dir.asked };
}

describe('routing at the neighbourhood stage', () => {
  it('routes to the category specialist first, with one look-up', async () => {
    const { owner, asked } = await route(
      'neighbourhood',
      everyone.map((e) => person(e)),
    );
    expect(owner).toEqual({
      email: 'specialist@example.org',
      name: 'specialist',
      reason: 'category-specialist',
    });
    expect(asked).toEqual(['specialist@example.org']);
  });

  it('routes to the neighbourhood lead when no specialist covers the category', async () => {
    const { owner } = await route(
      'neighbourhood',
      everyone.map((e) => person(e)),
      { category: 'housing' },
    );
    expect(owner).toMatchObject({ email: 'lead@example.org', reason: 'neighbourhood-lead' });
  });

  it('routes to the deputy when the lead is unavailable', async () => {
    const { owner } = await route(
      'neighbourhood',
      [person('lead@example.org', false), person('deputy@example.org')],
      { category: 'housing' },
    );
    expect(owner).toMatchObject({ email: 'deputy@example.org', reason: 'neighbourhood-deputy' });
  });

  it('routes to a locality lead when the neighbourhood has no lead or deputy', async () => {
    const { owner } = await route(
      'neighbourhood',
      everyone.map((e) => person(e)),
      { category: 'housing', neighbourhood: 'hindley' },
    );
    expect(owner).toMatchObject({ email: 'locality-lead@example.org', reason: 'locality-lead' });
  });

  it('passes over people who are unavailable or not in the directory', async () => {
    const { owner } = await route('neighbourhood', [
      person('lead@example.org', false),
      person('deputy@example.org', false),
      person('locality-lead@example.org', false),
      person('second-lead@example.org'),
    ]);
    expect(owner).toMatchObject({ email: 'second-lead@example.org', reason: 'locality-lead' });
  });

  it('falls back to the first candidate in the directory when nobody is available', async () => {
    const { owner } = await route(
      'neighbourhood',
      [person('deputy@example.org', false), person('locality-lead@example.org', false)],
      { category: 'housing' },
    );
    expect(owner).toMatchObject({ email: 'deputy@example.org', reason: 'neighbourhood-deputy' });
  });

  it('looks each person up once, however often they are named', async () => {
    const dir = directory(person('locality-lead@example.org'));
    const i = input('neighbourhood', { category: 'housing' });
    const same: RoutingLocality = {
      neighbourhoods: [{ slug: 'leigh', lead: 'gone@example.org', deputy: 'gone@example.org' }],
      leads: ['gone@example.org', 'locality-lead@example.org'],
      specialists: [],
    };
    await chooseOwner(i, ownerCandidates(i, { locality: same }), dir.lookUp);
    expect(dir.asked).toEqual(['gone@example.org', 'locality-lead@example.org']);
  });
});

describe('routing at the locality stage', () => {
  it('routes to a locality lead, never the neighbourhood lead or a specialist', async () => {
    const { owner } = await route(
      'locality',
      everyone.map((e) => person(e)),
    );
    expect(owner).toMatchObject({ email: 'locality-lead@example.org', reason: 'locality-lead' });
  });

  it('has nobody to route to when the locality is not in the directory', () => {
    const i = input('locality');
    expect(ownerCandidates(i, { locality: null })).toEqual([]);
  });
});

describe('routing at the gmca and whitehall stages', () => {
  const team = [person('triage-a@example.org', false), person('triage-b@example.org')];

  it.each(['gmca', 'whitehall'] as const)(
    'routes to the first available member of the triage team at %s',
    async (stage) => {
      const { owner } = await route(
        stage,
        everyone.map((e) => person(e)),
        {},
        team,
      );
      expect(owner).toEqual({
        email: 'triage-b@example.org',
        name: 'triage-b',
        reason: 'gmca-triage',
      });
    },
  );

  it('ignores the locality at those stages', () => {
    expect(ownerCandidates(input('gmca'), { locality: wigan, triageTeam: [] })).toEqual([]);
  });
});

describe('nobody to route to', () => {
  it('throws NobodyToRouteTo, naming the barrier and where it is', async () => {
    const err = await route('neighbourhood', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NobodyToRouteTo);
    expect((err as Error).message).toContain('GT-1 at the neighbourhood stage (wigan/leigh)');
  });
});
