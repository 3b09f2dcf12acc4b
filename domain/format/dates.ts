/**
 * Dates and times as GOV.UK writes them, in Europe/London: "7 December 2026",
 * "10:51am", "midday", "7 December 2026 at 10:51am", and "today" or
 * "yesterday" where a reader is looking at something recent.
 */
import { londonDate, londonOffsetMs } from '../calendar/london-time.ts';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** An instant as milliseconds, from a Date, a number or an ISO string; null when there is none. */
export type Instant = Date | number | string | null | undefined;

function ms(at: Instant): number | null {
  if (at === null || at === undefined || at === '') return null;
  const n = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
  return Number.isFinite(n) ? n : null;
}

/** "7 December 2026" (Europe/London); "" for no date. */
export function formatDate(at: Instant): string {
  const t = ms(at);
  if (t === null) return '';
  const d = londonDate(t);
  return `${d.day} ${MONTHS[d.month - 1]} ${d.year}`;
}

/** "10:51am", "3pm", "midday", "midnight" (Europe/London); "" for no time. */
export function formatTime(at: Instant): string {
  const t = ms(at);
  if (t === null) return '';
  const local = new Date(t + londonOffsetMs(t));
  const h = local.getUTCHours();
  const m = local.getUTCMinutes();
  if (m === 0 && h === 0) return 'midnight';
  if (m === 0 && h === 12) return 'midday';
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  const minutes = m === 0 ? '' : `:${String(m).padStart(2, '0')}`;
  return `${hour12}${minutes}${h < 12 ? 'am' : 'pm'}`;
}

/** Whole London calendar days from `at`'s date to `now`'s date (1 = yesterday). */
function daysBefore(at: number, now: number): number {
  const a = londonDate(at);
  const b = londonDate(now);
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
  );
}

/**
 * "today", "yesterday", "tomorrow" when `now` is given and the date is one of
 * those; otherwise the date in words.
 */
export function formatDay(at: Instant, now?: number): string {
  const t = ms(at);
  if (t === null) return '';
  if (now !== undefined) {
    const back = daysBefore(t, now);
    if (back === 0) return 'today';
    if (back === 1) return 'yesterday';
    if (back === -1) return 'tomorrow';
  }
  return formatDate(t);
}

/**
 * "7 December 2026 at 10:51am"; with `now`, "today at 10:51am" or
 * "yesterday at midday" for those days. "" for no instant.
 */
export function formatDateTime(at: Instant, now?: number): string {
  const t = ms(at);
  if (t === null) return '';
  return `${formatDay(t, now)} at ${formatTime(t)}`;
}

/**
 * "from 11:02am to 12:24pm on 7 December 2026", or with both dates when the
 * span crosses midnight ("from 7 December 2026 at 11pm to 8 December 2026 at 1:05am").
 */
export function formatTimeRange(from: Instant, to: Instant): string {
  const a = ms(from);
  const b = ms(to);
  if (a === null || b === null) return '';
  if (formatDate(a) === formatDate(b)) {
    return `from ${formatTime(a)} to ${formatTime(b)} on ${formatDate(a)}`;
  }
  return `from ${formatDateTime(a)} to ${formatDateTime(b)}`;
}

/** The same with a capital first letter, to start a sentence or a table cell. */
export function formatDateTimeStart(at: Instant, now?: number): string {
  const s = formatDateTime(at, now);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A calendar date written `YYYY-MM-DD` (a digest's day, a filter) in words: "7 December 2026". */
export function formatIsoDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

/** The instant as a machine-readable ISO string, for a `<time datetime>` attribute. */
export const machineTime = (at: Instant): string => {
  const t = ms(at);
  return t === null ? '' : new Date(t).toISOString();
};
