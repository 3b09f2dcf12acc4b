import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatDay,
  formatIsoDay,
  formatTime,
  formatTimeRange,
} from './dates.ts';

const utc = (s: string) => Date.parse(s);

describe('dates and times in words, Europe/London', () => {
  it('writes a date as GOV.UK does, with no leading zero', () => {
    expect(formatDate(utc('2026-12-07T10:51:00Z'))).toBe('7 December 2026');
    expect(formatDate(null)).toBe('');
  });

  it('writes a time with am or pm, minutes only when there are some', () => {
    expect(formatTime(utc('2026-12-07T10:51:00Z'))).toBe('10:51am');
    expect(formatTime(utc('2026-12-07T15:00:00Z'))).toBe('3pm');
    expect(formatTime(utc('2026-12-07T00:05:00Z'))).toBe('12:05am');
    expect(formatTime(utc('2026-12-07T12:30:00Z'))).toBe('12:30pm');
  });

  it('says midnight and midday rather than 12am and 12pm', () => {
    expect(formatDateTime(utc('2026-12-07T00:00:00Z'))).toBe('7 December 2026 at midnight');
    expect(formatDateTime(utc('2026-12-07T12:00:00Z'))).toBe('7 December 2026 at midday');
  });

  it('uses London time either side of the clock changes', () => {
    // BST starts 01:00 UTC on 29 March 2026 and ends 01:00 UTC on 25 October 2026.
    expect(formatDateTime(utc('2026-03-29T00:59:00Z'))).toBe('29 March 2026 at 12:59am');
    expect(formatDateTime(utc('2026-03-29T01:00:00Z'))).toBe('29 March 2026 at 2am');
    expect(formatDateTime(utc('2026-10-25T00:30:00Z'))).toBe('25 October 2026 at 1:30am');
    expect(formatDateTime(utc('2026-10-25T01:30:00Z'))).toBe('25 October 2026 at 1:30am');
    // 23:30 UTC in summer is already the next day in London.
    expect(formatDate(utc('2026-07-01T23:30:00Z'))).toBe('2 July 2026');
    expect(formatDate(utc('2026-12-01T23:30:00Z'))).toBe('1 December 2026');
  });

  it('says today, yesterday or tomorrow by the London calendar', () => {
    const now = utc('2026-07-02T08:00:00Z'); // 9am BST on 2 July
    expect(formatDateTime(utc('2026-07-02T07:00:00Z'), now)).toBe('today at 8am');
    expect(formatDateTime(utc('2026-07-01T23:30:00Z'), now)).toBe('today at 12:30am');
    expect(formatDateTime(utc('2026-07-01T22:30:00Z'), now)).toBe('yesterday at 11:30pm');
    expect(formatDay(utc('2026-07-03T09:00:00Z'), now)).toBe('tomorrow');
    expect(formatDay(utc('2026-06-30T09:00:00Z'), now)).toBe('30 June 2026');
  });

  it('writes a YYYY-MM-DD day in words', () => {
    expect(formatIsoDay('2026-12-07')).toBe('7 December 2026');
    expect(formatIsoDay('not a date')).toBe('not a date');
  });
  it('writes a span of time on one day once, and both days when it crosses midnight', () => {
    expect(formatTimeRange('2026-12-07T11:02:00Z', '2026-12-07T12:24:00Z')).toBe(
      'from 11:02am to 12:24pm on 7 December 2026',
    );
    expect(formatTimeRange('2026-12-07T23:00:00Z', '2026-12-08T01:05:00Z')).toBe(
      'from 7 December 2026 at 11pm to 8 December 2026 at 1:05am',
    );
  });
});
