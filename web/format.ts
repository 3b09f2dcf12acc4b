/** Formatting for pages: London times, working time left, labels. */
import { formatLondon } from '../domain/calendar/london-time.ts';
import { workingTimeBetween, type CalendarName } from '../domain/calendar/working-time.ts';
import { formatSpan } from '../notify/templates.ts';

export const london = (d: Date | number | null | undefined): string =>
  d === null || d === undefined ? '' : formatLondon(typeof d === 'number' ? d : d.getTime());

/** "2 working days 3 hours left", "overdue", or "" when no clock runs. */
export function timeLeft(
  deadline: Date | null | undefined,
  calendar: string | null | undefined,
  now: number,
): string {
  if (!deadline) return '';
  const cal: CalendarName = calendar === '24x7' ? '24x7' : 'working-hours-england-and-wales';
  if (deadline.getTime() <= now) return 'due now';
  return `${formatSpan(workingTimeBetween(cal, now, deadline.getTime()), cal)} left`;
}

/** "neighbourhood-lead" → "Neighbourhood lead". */
export const humanise = (s: string | null | undefined): string =>
  s
    ? (s.charAt(0).toUpperCase() + s.slice(1)).replace(/-/g, ' ').replace(/\bgmca\b/gi, 'GMCA')
    : '';
