/**
 * ISO 8601 durations for SLA targets, measured in a policy's calendar.
 *
 * In the working-hours calendar a day is one working day (8 working hours) and a
 * week five working days; in `24x7` they are 24 hours and 7 days. Years and
 * months have no fixed length in either, so targets may not use them.
 */
import { WORKING_DAY_MS, type CalendarName } from './working-time.ts';

/** The durations accepted (weeks, days, hours, minutes, seconds); also in the OpenAPI document. */
export const DURATION_PATTERN =
  /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Why a string is not a duration we accept, or undefined when it is one. */
export function durationProblem(iso: string): string | undefined {
  const datePart = iso.split('T')[0] ?? '';
  if (iso.startsWith('P') && /\d+[YM]/.test(datePart)) {
    return 'years and months have no fixed length: use weeks (W), days (D), hours (H), minutes (M) or seconds (S)';
  }
  if (!DURATION_PATTERN.test(iso)) {
    return 'must be an ISO 8601 duration such as PT4H, P2D, P1W or PT30S';
  }
  return undefined;
}

/** The duration in milliseconds of the calendar's time (working time, or clock time for 24x7). */
export function durationMs(iso: string, calendar: CalendarName): number {
  const m = DURATION_PATTERN.exec(iso);
  if (!m || durationProblem(iso)) throw new RangeError(`not a supported ISO 8601 duration: ${iso}`);
  const day = calendar === '24x7' ? 86_400_000 : WORKING_DAY_MS;
  const week = calendar === '24x7' ? 7 * day : 5 * day;
  const n = (i: number) => Number(m[i] ?? 0);
  return Math.round(n(1) * week + n(2) * day + n(3) * 3_600_000 + n(4) * 60_000 + n(5) * 1000);
}

/** The longest target a policy may set: five years, in either calendar. */
export const MAX_TARGET_WEEKS = 260;

/**
 * Why a valid duration is too long to be a target, or undefined. Checked where
 * policies and targets come in (never in durationMs, which running workflows
 * call): a deadline years away is a mistake, and one beyond what the
 * working-time calendar computes would fail every barrier on that policy.
 */
export function durationLimitProblem(iso: string): string | undefined {
  if (durationProblem(iso)) return undefined;
  const longest = Math.max(
    durationMs(iso, '24x7') / (7 * 86_400_000),
    durationMs(iso, 'working-hours-england-and-wales') / (5 * WORKING_DAY_MS),
  );
  return longest > MAX_TARGET_WEEKS
    ? `must be at most ${MAX_TARGET_WEEKS} weeks (five years) in either calendar`
    : undefined;
}
