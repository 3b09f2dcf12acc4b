/**
 * Working-time arithmetic for SLA clocks.
 *
 * Two calendars: `working-hours-england-and-wales` counts 09:00–17:00
 * Europe/London on weekdays that are not England & Wales bank holidays;
 * `24x7` counts clock time. Instants are epoch milliseconds, so the same
 * functions run in workflows (on the sandbox's deterministic clock), the API
 * and tests.
 */
import bankHolidays from './bank-holidays.json' with { type: 'json' };
import { addDays, isoDate, londonDate, londonWallClock, type LondonDate } from './london-time.ts';

/** The calendars a policy may measure its targets in. */
export const CALENDARS = ['working-hours-england-and-wales', '24x7'] as const;
export type CalendarName = (typeof CALENDARS)[number];

/** A half-open span of time `[from, to)`, epoch milliseconds. */
export interface Span {
  from: number;
  to: number;
}

export const WORKDAY_START_HOUR = 9;
export const WORKDAY_END_HOUR = 17;
/** Working milliseconds in one working day (8 hours). */
export const WORKING_DAY_MS = (WORKDAY_END_HOUR - WORKDAY_START_HOUR) * 3_600_000;

const holidays: Record<string, string> = bankHolidays.holidays;
/** The last year the shipped bank-holiday data covers. */
export const BANK_HOLIDAYS_LAST_YEAR: number = bankHolidays.lastYear;

// Guards against a runaway loop on absurd input (about 55 years of days).
const MAX_DAYS = 20_000;

/** The bank holiday's name on a London date, if it is one. */
export function bankHolidayOn(d: Pick<LondonDate, 'year' | 'month' | 'day'>): string | undefined {
  return holidays[isoDate(d)];
}

/** True for Monday–Friday London dates that are not bank holidays. */
export function isWorkingDay(d: LondonDate): boolean {
  return d.weekday >= 1 && d.weekday <= 5 && bankHolidayOn(d) === undefined;
}

/** The working hours of a London date as a UTC span, or undefined on a non-working day. */
export function workingHoursOn(d: LondonDate): Span | undefined {
  if (!isWorkingDay(d)) return undefined;
  return { from: londonWallClock(d, WORKDAY_START_HOUR), to: londonWallClock(d, WORKDAY_END_HOUR) };
}

/**
 * The instant at which `durationMs` of working time has elapsed after `start`.
 *
 * The rule at the edges of a working day: working time is counted in half-open
 * spans `[09:00, 17:00)`, so no working time passes at or after 17:00; a due
 * instant is the earliest instant, no earlier than `start`, that lies in a
 * working day's closed span `[09:00, 17:00]` with the time needed behind it.
 * So a target ending exactly at the close is due at 17:00, a zero target is
 * due at once when it starts within or at the close of a working day (at
 * 17:00 itself: 17:00) and at the next 09:00 when it starts outside one (at
 * 17:00:00.001, 18:00 or 08:00), and any positive target started at 17:00
 * runs from the next working day's 09:00.
 */
export function addWorkingTime(calendar: CalendarName, start: number, durationMs: number): number {
  if (durationMs < 0) throw new RangeError('durationMs must not be negative');
  if (calendar === '24x7') return start + durationMs;
  let remaining = durationMs;
  let day = londonDate(start);
  for (let i = 0; i < MAX_DAYS; i++, day = addDays(day, 1)) {
    const hours = workingHoursOn(day);
    if (!hours) continue;
    const from = Math.max(start, hours.from);
    if (from > hours.to) continue;
    const available = hours.to - from;
    if (remaining <= available) return from + remaining;
    remaining -= available;
  }
  throw new RangeError('duration too long for the working-time calendar');
}

/** Working milliseconds in `[from, to)`. */
function workingBetween(calendar: CalendarName, from: number, to: number): number {
  if (to <= from) return 0;
  if (calendar === '24x7') return to - from;
  let total = 0;
  let day = londonDate(from);
  for (let i = 0; i < MAX_DAYS; i++, day = addDays(day, 1)) {
    const hours = workingHoursOn(day);
    if (hours) {
      if (hours.from >= to) break;
      total += Math.max(0, Math.min(to, hours.to) - Math.max(from, hours.from));
    } else if (londonWallClock(day, 0) >= to) {
      break;
    }
  }
  return total;
}

/** Sorts and merges overlapping spans. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.to > s.from).sort((a, b) => a.from - b.from);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

/** Working milliseconds between two instants, with any `paused` spans not counted. */
export function workingTimeBetween(
  calendar: CalendarName,
  from: number,
  to: number,
  paused: readonly Span[] = [],
): number {
  let total = workingBetween(calendar, from, to);
  for (const p of mergeSpans(paused)) {
    total -= workingBetween(calendar, Math.max(p.from, from), Math.min(p.to, to));
  }
  return total;
}

/**
 * True when an instant lies after the last year of the shipped bank-holiday
 * data: a working-time deadline there is computed as if no day were a bank
 * holiday, so it may be early. Barriers show such deadlines flagged.
 */
export function beyondBankHolidayData(instant: number | null | undefined): boolean {
  return (
    instant !== null && instant !== undefined && londonDate(instant).year > BANK_HOLIDAYS_LAST_YEAR
  );
}

/**
 * A warning for start-up when the bank-holiday data ends within a year of
 * `now` (or has ended), else undefined.
 */
export function bankHolidayDataWarning(now: number): string | undefined {
  if (!beyondBankHolidayData(now + 365 * 86_400_000)) return undefined;
  return `the bank-holiday data ends with ${BANK_HOLIDAYS_LAST_YEAR}: working-time deadlines after it count bank holidays as working days (barriers flag them). Run npm run holidays:refresh and release the new domain/calendar/bank-holidays.json.`;
}
