import { describe, expect, it } from 'vitest';
import { packSources } from '../../test/support/evidence-pack.ts';
import { LOCALITIES } from '../reference-data.ts';
import { askChasers, evidenceSummary, stageTimes, type EvidenceEvent } from './evidence.ts';

const HOUR = 3_600_000;
const DAY = 8 * HOUR;

/** ASK-0003's evidence: three barriers in Wigan and Bolton, one with a duplicate merged into it. */
const evidence = () => packSources().evidence;

let seq = 0;
const event = (iso: string, type: string, stage: string, details = {}): EvidenceEvent => ({
  barrierId: 'GT-0001',
  seq: ++seq,
  at: new Date(iso),
  type,
  stage,
  details,
});

describe('an ask’s evidence', () => {
  it('shows all ten localities, marking those a barrier (or a duplicate merged into one) is from', () => {
    const { localities } = evidence();
    expect(localities.map((l) => l.locality)).toEqual([...LOCALITIES]);
    expect(localities.filter((l) => l.affected).map((l) => l.locality)).toEqual([
      'bolton',
      'wigan',
    ]);
    const bolton = localities.find((l) => l.locality === 'bolton');
    // Bolton Central only through GT-0013, merged into GT-0011.
    expect(bolton?.neighbourhoods).toEqual(['bolton-central', 'farnworth-and-kearsley']);
    expect(localities.find((l) => l.locality === 'bury')).toEqual({
      locality: 'bury',
      affected: false,
      neighbourhoods: [],
      barriers: 0,
      people: 0,
      unknown: 0,
    });
  });

  it('counts the people affected in all and by locality, saying how many barriers do not say', () => {
    const e = evidence();
    expect(e.peopleAffected).toBe(420);
    expect(e.peopleUnknown).toBe(1);
    const by = Object.fromEntries(e.localities.map((l) => [l.locality, [l.people, l.unknown]]));
    expect(by.wigan).toEqual([120, 1]);
    expect(by.bolton).toEqual([300, 0]);
  });

  it('tallies categories and focus areas, most barriers first', () => {
    expect(evidence().categories).toEqual([
      { value: 'data-sharing', barriers: 2 },
      { value: 'funding', barriers: 1 },
    ]);
    expect(evidence().focusAreas).toEqual([]);
  });

  it('gives each barrier’s working time at each stage it reached, adding up to its time open', () => {
    const [leigh, bolton, wigan] = evidence().barriers;
    expect(leigh?.stages.map((s) => s.stage)).toEqual([
      'neighbourhood',
      'locality',
      'gmca',
      'whitehall',
    ]);
    // Raised 1 October 10am, escalated by a breach 8 October 5pm: 5 working days and 7 hours.
    expect(leigh?.stages[0]?.ms).toBe(5 * DAY + 7 * HOUR);
    expect(leigh?.stages.reduce((n, s) => n + s.ms, 0)).toBe(leigh?.openForMs);
    // Straight from the neighbourhood to GMCA: no time at the locality stage.
    expect(wigan?.stages.map((s) => s.stage)).toEqual(['neighbourhood', 'gmca', 'whitehall']);
    expect(bolton?.stages.reduce((n, s) => n + s.ms, 0)).toBe(bolton?.openForMs);
  });

  it('lists the deadlines each barrier missed, its merged duplicates’ too', () => {
    const [leigh, bolton, wigan] = evidence().barriers;
    expect(leigh?.missed).toEqual([
      {
        barrierId: 'GT-0007',
        stage: 'neighbourhood',
        clock: 'resolve',
        dueAt: Date.parse('2026-10-08T16:00:00Z'),
      },
    ]);
    expect(bolton?.missed.map((m) => m.barrierId)).toEqual(['GT-0013']);
    expect(wigan?.missed).toEqual([]);
    expect(evidence().breaches).toBe(2);
  });

  it('keeps the register’s summary as it was', () => {
    const summary = evidenceSummary(evidence());
    expect(summary.localities).toEqual(['bolton', 'wigan']);
    expect(summary.neighbourhoods).toEqual([
      'bolton/bolton-central',
      'bolton/farnworth-and-kearsley',
      'wigan/leigh',
      'wigan/wigan-central',
    ]);
    expect(summary.peopleAffected).toBe(420);
    expect(summary.breaches).toBe(2);
    expect(summary.barriers[0]).toEqual({
      id: 'GT-0007',
      reference: 'GT-0007',
      title: 'Joint caseload blocked by data sharing rules',
      locality: 'wigan',
      status: 'open',
      peopleAffected: 120,
      openForMs: 1_365_600_000,
      breaches: 1,
    });
  });
});

describe('time at each stage', () => {
  const calendar = '24x7' as const;

  it('sends a barrier back to GMCA when Whitehall does not agree, and stops when it closes', () => {
    seq = 0;
    const events = [
      event('2026-10-01T00:00:00Z', 'raised', 'neighbourhood'),
      event('2026-10-02T00:00:00Z', 'escalated', 'gmca', { from: 'neighbourhood', to: 'gmca' }),
      event('2026-10-03T00:00:00Z', 'promoted', 'whitehall'),
      // Recorded at the Whitehall stage; a decline sends it back to GMCA.
      event('2026-10-05T00:00:00Z', 'ask-outcome', 'whitehall', { outcome: 'declined' }),
      event('2026-10-06T00:00:00Z', 'comment', 'gmca'),
      event('2026-10-07T00:00:00Z', 'resolved', 'gmca'),
    ];
    expect(stageTimes(events, calendar, Date.parse('2026-12-01T00:00:00Z'))).toEqual([
      { stage: 'neighbourhood', ms: 24 * HOUR },
      { stage: 'gmca', ms: 3 * 24 * HOUR },
      { stage: 'whitehall', ms: 2 * 24 * HOUR },
    ]);
  });

  it('counts again from a reopening, and a stage visited twice once', () => {
    seq = 0;
    const events = [
      event('2026-10-01T00:00:00Z', 'raised', 'neighbourhood'),
      event('2026-10-02T00:00:00Z', 'escalated', 'locality'),
      event('2026-10-03T00:00:00Z', 'withdrawn', 'locality'),
      event('2026-10-10T00:00:00Z', 'reopened', 'locality'),
      event('2026-10-11T00:00:00Z', 'escalated', 'gmca'),
      event('2026-10-12T00:00:00Z', 'returned', 'locality'),
    ];
    expect(stageTimes(events, calendar, Date.parse('2026-10-13T00:00:00Z'))).toEqual([
      { stage: 'neighbourhood', ms: 24 * HOUR },
      { stage: 'locality', ms: 3 * 24 * HOUR },
      { stage: 'gmca', ms: 24 * HOUR },
    ]);
  });
});

describe('an ask’s chasers', () => {
  it('lists each, oldest first, automatic ones numbered and GMCA’s with its note', () => {
    expect(askChasers(packSources().askTimeline)).toEqual([
      { at: Date.parse('2026-12-01T17:00:00Z'), automatic: true, chaser: 1, note: null },
      {
        at: Date.parse('2026-12-03T10:00:00Z'),
        automatic: false,
        chaser: null,
        note: 'Raised with the minister’s private office',
      },
    ]);
  });
});
