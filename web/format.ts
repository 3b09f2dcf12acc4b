/**
 * The pages' few shorthands over the shared formatting module
 * (domain/format), for routes and the layout: an instant in words, the
 * working time left before a deadline, and a slug as a label.
 */
import { workingTimeBetween, type CalendarName } from '../domain/calendar/working-time.ts';
import {
  formatDateTime,
  localityName,
  roleName,
  sentence,
  timeLeftInWords,
  type Instant,
} from '../domain/format/index.ts';
import { LOCALITIES, ROLES } from '../domain/reference-data.ts';

/** "7 December 2026 at 10:51am"; with `now`, "today at 10:51am". */
export const london = (d: Instant, now?: number): string => formatDateTime(d, now);

/** "2 working days left", "overdue by 3 working hours", "overdue", or "" when no clock runs. */
export function timeLeft(
  deadline: Date | null | undefined,
  calendar: string | null | undefined,
  now: number,
): string {
  if (!deadline) return '';
  const cal: CalendarName = calendar === '24x7' ? '24x7' : 'working-hours-england-and-wales';
  const t = deadline.getTime();
  const remaining = t >= now ? workingTimeBetween(cal, now, t) : -workingTimeBetween(cal, t, now);
  // Past a deadline that fell outside working hours, no working time may have gone by yet.
  if (t < now && remaining > -60_000) return 'overdue';
  return timeLeftInWords(remaining, cal);
}

/** A role or a locality by name ("Locality lead", "Wigan"); any other slug as words. */
export const humanise = (s: string | null | undefined): string => {
  if (!s) return '';
  if ((ROLES as readonly string[]).includes(s)) return sentence(roleName(s));
  if ((LOCALITIES as readonly string[]).includes(s)) return localityName(s);
  return sentence(s.replace(/-/g, ' ').replace(/\bgmca\b/gi, 'GMCA'));
};
