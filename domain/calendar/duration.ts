/**
 * ISO 8601 durations for SLA targets, measured in a policy's calendar.
 *
 * In the working-hours calendar a day is one working day (8 working hours) and a
 * week five working days; in `24x7` they are 24 hours and 7 days. Years and
 * months have no fixed length in either, so targets may not use them.
 */
import { WORKING_DAY_MS, type CalendarName } from './working-time.ts';

const PATTERN =
  /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Why a string is not a duration we accept, or undefined when it is one. */
export function durationProblem(iso: string): string | undefined {
  const datePart = iso.split('T')[0] ?? '';
  if (iso.startsWith('P') && /\d+[YM]/.test(datePart)) {
    return 'years and months have no fixed length: use weeks (W), days (D), hours (H), minutes (M) or seconds (S)';
  }
  if (!PATTERN.test(iso)) {
    return 'must be an ISO 8601 duration such as PT4H, P2D, P1W or PT30S';
  }
  return undefined;
}

/** True when `iso` is a duration we accept. */
export function isDuration(iso: string): boolean {
  return durationProblem(iso) === undefined;
}

/** The duration in milliseconds of the calendar's time (working time, or clock time for 24x7). */
export function durationMs(iso: string, calendar: CalendarName): number {
  const m = PATTERN.exec(iso);
  if (!m || durationProblem(iso)) throw new RangeError(`not a supported ISO 8601 duration: ${iso}`);
  const day = calendar === '24x7' ? 86_400_000 : WORKING_DAY_MS;
  const week = calendar === '24x7' ? 7 * day : 5 * day;
  const n = (i: number) => Number(m[i] ?? 0);
  return Math.round(n(1) * week + n(2) * day + n(3) * 3_600_000 + n(4) * 60_000 + n(5) * 1000);
}
