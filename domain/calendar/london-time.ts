/**
 * Europe/London wall-clock conversion, computed from the UK summer-time rule
 * rather than the host's time-zone database, so results are identical in the
 * workflow sandbox, on every Node version and on every machine.
 *
 * British Summer Time runs from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October (the rule in force since 1996).
 */

const HOUR = 3_600_000;

/** 01:00 UTC on the last Sunday of the given month (0-based) of `year`. */
function lastSundayAt0100Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const back = lastDay.getUTCDay(); // 0 = Sunday
  return Date.UTC(year, month, lastDay.getUTCDate() - back, 1);
}

/** Milliseconds Europe/London is ahead of UTC at `instant`: 0 (GMT) or 1 h (BST). */
export function londonOffsetMs(instant: number): number {
  const year = new Date(instant).getUTCFullYear();
  const bstStart = lastSundayAt0100Utc(year, 2);
  const bstEnd = lastSundayAt0100Utc(year, 9);
  return instant >= bstStart && instant < bstEnd ? HOUR : 0;
}

/** A calendar date in Europe/London. */
export interface LondonDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

/** The Europe/London calendar date at `instant`. */
export function londonDate(instant: number): LondonDate {
  const local = new Date(instant + londonOffsetMs(instant));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    weekday: local.getUTCDay(),
  };
}

/** `YYYY-MM-DD` for a London date. */
export function isoDate(d: Pick<LondonDate, 'year' | 'month' | 'day'>): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/**
 * The UTC instant of a Europe/London wall-clock time on a date. Local times that
 * do not exist or repeat at a clock change (01:00–02:00) resolve to the offset
 * in force at noon that day, which never matters for working hours.
 */
export function londonWallClock(
  d: Pick<LondonDate, 'year' | 'month' | 'day'>,
  hour: number,
  minute = 0,
): number {
  const noonUtc = Date.UTC(d.year, d.month - 1, d.day, 12);
  return Date.UTC(d.year, d.month - 1, d.day, hour, minute) - londonOffsetMs(noonUtc);
}

/** The London date `days` after `d`. */
export function addDays(d: Pick<LondonDate, 'year' | 'month' | 'day'>, days: number): LondonDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    weekday: t.getUTCDay(),
  };
}

/** Formats an instant as Europe/London local time, e.g. `2026-12-24 16:30 GMT`. */
export function formatLondon(instant: number): string {
  const offset = londonOffsetMs(instant);
  const local = new Date(instant + offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} ${offset ? 'BST' : 'GMT'}`;
}
