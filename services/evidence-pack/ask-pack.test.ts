import { describe, expect, it } from 'vitest';
import { PACK_NOW, fixturePack, packSources } from '../../test/support/evidence-pack.ts';
import { buildAskPack } from './ask-pack.ts';

describe('an ask’s evidence pack', () => {
  it('says when it was produced and from which version of the ask', () => {
    const pack = fixturePack();
    expect(pack.produced).toBe(
      'Produced by Golden Thread on 7 December 2026 at 1:20pm from ASK-0003 as it stood after event 6 of its history (last changed on 3 December 2026 at 10am).',
    );
    expect(pack.version).toBe(6);
    expect(pack.filename).toBe('ASK-0003-evidence-pack');
    expect(pack.language).toBe('en-GB');
  });

  it('is the same for the same ask at the same moment', () => {
    expect(buildAskPack(packSources(), PACK_NOW)).toEqual(buildAskPack(packSources(), PACK_NOW));
  });

  it('gives the figures by locality once, for the table and the chart alike', () => {
    const { figures, summary } = fixturePack();
    expect(figures.rows).toEqual([
      { locality: 'Bolton', barriers: 1, people: 300 },
      { locality: 'Wigan', barriers: 2, people: 120 },
    ]);
    expect(figures.total).toEqual({ barriers: 3, people: 420 });
    expect(summary).toContainEqual({ key: 'People affected', value: '420' });
    expect(figures.note).toBe(
      '1 barrier does not say how many people it affects: counted as none.',
    );
    expect(figures.chartAlt).toContain('Bolton 300, Wigan 120; 420 in all');
  });

  it('makes a case of each bundled barrier, with its facts and the deadlines it missed', () => {
    const { cases } = fixturePack();
    expect(cases.map((c) => c.reference)).toEqual(['GT-0007', 'GT-0011', 'GT-0012']);
    const [leigh, bolton, wigan] = cases;
    expect(leigh?.facts).toEqual(
      expect.arrayContaining([
        { key: 'Where', value: 'Leigh, Wigan' },
        { key: 'Category', value: 'Data sharing' },
        { key: 'People affected', value: '120' },
        { key: 'Deadlines missed', value: '1' },
      ]),
    );
    expect(leigh?.deadlinesMissed).toEqual([
      'To resolve by 8 October 2026 at 5pm (neighbourhood stage)',
    ]);
    // A duplicate's missed deadline counts for the barrier it was merged into.
    expect(bolton?.deadlinesMissed).toEqual([
      'To acknowledge by 13 October 2026 at 5pm (neighbourhood stage) – by GT-0013, since merged into it',
    ]);
    expect(leigh?.facts).toContainEqual({
      key: 'Time at each stage',
      value:
        '5 working days and 7 hours at the neighbourhood stage, 9 working days and 1 hour at the locality stage, 6 working days and 7 hours at the GMCA stage, 25 working days and 3 hours at the Whitehall stage',
    });
    expect(wigan?.facts).toContainEqual({ key: 'People affected', value: 'Not known' });
    expect(wigan?.facts.find((f) => f.key === 'Open for')?.value).toMatch(/working days/);
  });

  it('tells each case’s escalation history, leaving out comments', () => {
    const leigh = fixturePack().cases[0];
    expect(leigh?.history.map((h) => h.what)).toEqual([
      'Raised in Leigh, Wigan',
      'Missed its deadline: to resolve by 8 October 2026 at 5pm (neighbourhood stage)',
      'Escalated from the neighbourhood stage to the locality stage automatically, after a missed deadline',
      'Escalated from the locality stage to the GMCA stage: Needs a change to the Digital Economy Act regulations',
      'Promoted to Whitehall ask ASK-0003',
    ]);
    expect(leigh?.history[0]?.when).toBe('1 October 2026 at 10am');
  });

  it('lists the chasers and when the next one goes', () => {
    const { chasers, summary } = fixturePack();
    expect(chasers.items.map((c) => c.what)).toEqual([
      'Chaser 1 sent automatically: no response by its due date',
      'Chased by GMCA: Raised with the minister’s private office',
    ]);
    expect(chasers.summary).toContain('a response was due by 1 December 2026');
    expect(chasers.summary).toContain('the next chaser goes on 8 December 2026');
    expect(summary).toContainEqual({ key: 'Chasers sent', value: '2' });
  });

  it('says that a draft has had no chasers', () => {
    const sources = packSources();
    const draft = {
      ...sources,
      ask: { ...sources.ask, status: 'draft', submittedAt: null, dueAt: null, lastSeq: 3 },
    };
    const pack = buildAskPack(draft, PACK_NOW);
    expect(pack.chasers.summary).toBe(
      'The ask has not been submitted yet, so no chaser has been sent.',
    );
    // Only the events up to the version read: the pack matches the ask it was made from.
    expect(pack.history.map((h) => h.what)).toEqual([
      'Ask drafted by GMCA',
      'GT-0011 added',
      'GT-0012 added',
    ]);
  });
});
