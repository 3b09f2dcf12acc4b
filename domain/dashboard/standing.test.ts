import { describe, expect, it } from 'vitest';
import { WORKING_DAY_MS } from '../calendar/working-time.ts';
import { asksByOutcome, median, medianResolveByStage, openByLocalityAndStage } from './standing.ts';

describe('openByLocalityAndStage', () => {
  it('counts open barriers for every locality at every stage, unknown places left out', () => {
    const rows = openByLocalityAndStage([
      { locality: 'wigan', stage: 'neighbourhood' },
      { locality: 'wigan', stage: 'gmca' },
      { locality: 'wigan', stage: 'gmca' },
      { locality: 'bury', stage: 'locality' },
      { locality: 'atlantis', stage: 'gmca' },
    ]);
    expect(rows).toHaveLength(10);
    expect(rows.find((r) => r.locality === 'wigan')).toEqual({
      locality: 'wigan',
      byStage: { neighbourhood: 1, locality: 0, gmca: 2, whitehall: 0 },
      total: 3,
    });
    expect(rows.find((r) => r.locality === 'bolton')?.total).toBe(0);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([])).toBeUndefined();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('medianResolveByStage', () => {
  // Monday 2 March 2026, 9am in London (GMT): working days run 9 to 5.
  const monday9 = Date.UTC(2026, 2, 2, 9);
  const day = 86_400_000;

  it('takes the median working time from raised to resolved at each stage', () => {
    const rows = medianResolveByStage([
      // Monday 9am to Tuesday 9am: one working day.
      { stage: 'locality', raisedAt: monday9, closedAt: monday9 + day, calendar: 'x' },
      // Monday to Thursday: three.
      { stage: 'locality', raisedAt: monday9, closedAt: monday9 + 3 * day, calendar: 'x' },
      // Monday to Friday: four.
      {
        stage: 'locality',
        raisedAt: new Date(monday9),
        closedAt: new Date(monday9 + 4 * day),
        calendar: 'x',
      },
      // In 24x7, a day is a day.
      { stage: 'gmca', raisedAt: monday9, closedAt: monday9 + 2 * day, calendar: '24x7' },
      // Not closed yet: left out.
      { stage: 'gmca', raisedAt: monday9, closedAt: null, calendar: '24x7' },
    ]);
    expect(rows.find((r) => r.label === 'locality')).toEqual({
      label: 'locality',
      value: 3 * WORKING_DAY_MS,
      n: 3,
    });
    expect(rows.find((r) => r.label === 'gmca')).toEqual({ label: 'gmca', value: 2 * day, n: 1 });
    expect(rows.find((r) => r.label === 'whitehall')).toEqual({
      label: 'whitehall',
      value: 0,
      n: 0,
    });
  });
});

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
