import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationMs, durationProblem } from './duration.ts';
import { formatLondon, londonDate, londonOffsetMs } from './london-time.ts';
import {
  addWorkingTime,
  isWorkingDay,
  workingTimeBetween,
  BANK_HOLIDAYS_LAST_YEAR,
  bankHolidayDataWarning,
  beyondBankHolidayData,
} from './working-time.ts';

const WH = 'working-hours-england-and-wales' as const;
const H = 3_600_000;
const utc = (s: string) => Date.parse(s);

describe('Europe/London time', () => {
  it('follows the 2027 clock changes', () => {
    expect(londonOffsetMs(utc('2027-03-28T00:59:59Z'))).toBe(0);
    expect(londonOffsetMs(utc('2027-03-28T01:00:00Z'))).toBe(H);
    expect(londonOffsetMs(utc('2027-10-31T00:59:59Z'))).toBe(H);
    expect(londonOffsetMs(utc('2027-10-31T01:00:00Z'))).toBe(0);
    expect(formatLondon(utc('2027-07-01T08:00:00Z'))).toBe('2027-07-01 09:00 BST');
  });
});

describe('working-hours calendar', () => {
  it('skips Christmas 2026: the Boxing Day substitute and New Year 2027', () => {
    // Thu 24 Dec 16:00 GMT + 2 h: 1 h on the 24th, then Fri 25 (Christmas), weekend,
    // Mon 28 (Boxing Day substitute) → Tue 29 Dec 10:00.
    expect(new Date(addWorkingTime(WH, utc('2026-12-24T16:00:00Z'), 2 * H)).toISOString()).toBe(
      '2026-12-29T10:00:00.000Z',
    );
    // Thu 31 Dec 16:00 + 2 h → Fri 1 Jan is a holiday → Mon 4 Jan 10:00.
    expect(new Date(addWorkingTime(WH, utc('2026-12-31T16:00:00Z'), 2 * H)).toISOString()).toBe(
      '2027-01-04T10:00:00.000Z',
    );
    expect(workingTimeBetween(WH, utc('2026-12-24T09:00:00Z'), utc('2027-01-05T09:00:00Z'))).toBe(
      5 * 8 * H,
    );
  });

  it('crosses the spring 2027 clock change over Easter', () => {
    // Thu 25 Mar 16:00 GMT + 2 h: Good Friday, the clocks go forward, Easter Monday;
    // Tue 30 Mar 09:00 BST is 08:00 UTC, so the deadline is 10:00 BST = 09:00 UTC.
    expect(new Date(addWorkingTime(WH, utc('2027-03-25T16:00:00Z'), 2 * H)).toISOString()).toBe(
      '2027-03-30T09:00:00.000Z',
    );
  });

  it('crosses the autumn 2027 clock change', () => {
    // Fri 29 Oct 16:30 BST (15:30 UTC) + 1 h: 30 min Friday, then Mon 1 Nov 09:30 GMT.
    expect(new Date(addWorkingTime(WH, utc('2027-10-29T15:30:00Z'), H)).toISOString()).toBe(
      '2027-11-01T09:30:00.000Z',
    );
  });

  it('never counts weekends or time outside 09:00–17:00', () => {
    expect(workingTimeBetween(WH, utc('2026-11-27T16:00:00Z'), utc('2026-11-30T10:00:00Z'))).toBe(
      2 * H,
    );
    expect(workingTimeBetween(WH, utc('2026-11-28T00:00:00Z'), utc('2026-11-29T23:59:00Z'))).toBe(
      0,
    );
  });

  it('subtracts paused spans', () => {
    const from = utc('2026-11-23T09:00:00Z');
    const to = utc('2026-11-24T17:00:00Z');
    const paused = [{ from: utc('2026-11-23T13:00:00Z'), to: utc('2026-11-24T10:00:00Z') }];
    expect(workingTimeBetween(WH, from, to, paused)).toBe(4 * H + 7 * H);
  });

  it('ships bank holidays to at least 2030', () => {
    expect(BANK_HOLIDAYS_LAST_YEAR).toBeGreaterThanOrEqual(2030);
    expect(isWorkingDay(londonDate(utc('2030-12-25T12:00:00Z')))).toBe(false);
    expect(isWorkingDay(londonDate(utc('2030-12-27T12:00:00Z')))).toBe(true);
  });
});

const instant = fc.integer({ min: utc('2025-01-01T00:00:00Z'), max: utc('2030-12-31T00:00:00Z') });
const workingDuration = fc.integer({ min: 0, max: 400 * H });

describe('working-time properties', () => {
  it('a deadline never lands outside working hours', () => {
    fc.assert(
      fc.property(instant, workingDuration, (start, d) => {
        const due = addWorkingTime(WH, start, d);
        const day = londonDate(due);
        const local = new Date(due + londonOffsetMs(due));
        const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
        return isWorkingDay(day) && minutes >= 9 * 60 && minutes <= 17 * 60;
      }),
    );
  });

  it('adding then measuring gives the duration back', () => {
    fc.assert(
      fc.property(
        instant,
        workingDuration,
        (start, d) => workingTimeBetween(WH, start, addWorkingTime(WH, start, d)) === d,
      ),
    );
  });

  it('paused spans never count', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        (a, x, y, z) => {
          const [p1, p2, to] = [a + x, a + x + y, a + x + y + z];
          const total = workingTimeBetween(WH, a, to, [{ from: p1, to: p2 }]);
          return total === workingTimeBetween(WH, a, p1) + workingTimeBetween(WH, p2, to);
        },
      ),
    );
  });

  it('is monotonic in the start instant', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        workingDuration,
        (s, gap, d) => addWorkingTime(WH, s, d) <= addWorkingTime(WH, s + gap, d),
      ),
    );
  });
});

describe('ISO 8601 durations', () => {
  it('measures days and weeks in working time', () => {
    expect(durationMs('P1D', WH)).toBe(8 * H);
    expect(durationMs('P1W', WH)).toBe(40 * H);
    expect(durationMs('P1DT4H', WH)).toBe(12 * H);
    expect(durationMs('P1D', '24x7')).toBe(24 * H);
    expect(durationMs('PT1.5S', '24x7')).toBe(1500);
  });

  it('rejects months, years and nonsense with a reason', () => {
    expect(durationProblem('P1M')).toMatch(/years and months/);
    expect(durationProblem('P1Y')).toMatch(/years and months/);
    expect(durationProblem('PT1M')).toBeUndefined();
    expect(durationProblem('P')).toMatch(/ISO 8601/);
    expect(durationProblem('5 days')).toMatch(/ISO 8601/);
  });
});

describe('the edges of a working day', () => {
  // Tue 1 Dec 2026 (GMT): a working day; Wed 2 Dec the next.
  const at = (t: string) => utc(`2026-12-01T${t}Z`);
  const iso = (ms: number) => new Date(ms).toISOString();

  it('counts [09:00, 17:00) and lets a due instant fall at either end', () => {
    expect(iso(addWorkingTime(WH, at('09:00:00'), 8 * H))).toBe('2026-12-01T17:00:00.000Z');
    expect(iso(addWorkingTime(WH, at('17:00:00'), 0))).toBe('2026-12-01T17:00:00.000Z');
    expect(iso(addWorkingTime(WH, at('16:59:00'), 0))).toBe('2026-12-01T16:59:00.000Z');
    expect(iso(addWorkingTime(WH, at('17:00:00.001'), 0))).toBe('2026-12-02T09:00:00.000Z');
    expect(iso(addWorkingTime(WH, at('18:00:00'), 0))).toBe('2026-12-02T09:00:00.000Z');
    expect(iso(addWorkingTime(WH, at('08:00:00'), 0))).toBe('2026-12-01T09:00:00.000Z');
    expect(iso(addWorkingTime(WH, at('17:00:00'), 1))).toBe('2026-12-02T09:00:00.001Z');
    expect(workingTimeBetween(WH, at('17:00:00'), utc('2026-12-02T09:00:00Z'))).toBe(0);
  });
});

describe('the end of the bank-holiday data', () => {
  const endOfData = Date.UTC(BANK_HOLIDAYS_LAST_YEAR, 11, 31, 12);
  const afterData = Date.UTC(BANK_HOLIDAYS_LAST_YEAR + 1, 0, 5, 12);

  it('flags instants after its last year, and only those', () => {
    expect(beyondBankHolidayData(endOfData)).toBe(false);
    expect(beyondBankHolidayData(afterData)).toBe(true);
    expect(beyondBankHolidayData(null)).toBe(false);
  });

  it('is warned about from a year before it ends', () => {
    expect(bankHolidayDataWarning(endOfData - 400 * 86_400_000)).toBeUndefined();
    expect(bankHolidayDataWarning(endOfData - 300 * 86_400_000)).toMatch(
      new RegExp(`ends with ${BANK_HOLIDAYS_LAST_YEAR}.*npm run holidays:refresh`),
    );
    expect(bankHolidayDataWarning(afterData)).toBeDefined();
  });
});
