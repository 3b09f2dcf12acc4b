/**
 * Spans of working time and SLA targets in words: "2 working days and 3
 * hours", "2 working days left", "overdue by 3 working hours",
 * "1 working day to acknowledge, 10 to resolve".
 */
import { DURATION_PATTERN } from '../calendar/duration.ts';
import { WORKING_DAY_MS } from '../calendar/working-time.ts';

/** A policy's calendar name (`24x7`, or anything else for working hours). */
type Calendar = string | null | undefined;

/** "1 day", "2 days". */
export const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

const isWorking = (calendar: Calendar) => calendar !== '24x7';

/**
 * "2 working days and 3 hours", "45 minutes": the two largest non-zero parts,
 * only the first saying "working". Seconds show only when nothing larger does.
 */
export function formatSpan(ms: number, calendar: Calendar): string {
  const working = isWorking(calendar);
  const dayMs = working ? WORKING_DAY_MS : 86_400_000;
  const abs = Math.max(0, Math.round(ms));
  const parts: [number, string][] = [
    [Math.floor(abs / dayMs), working ? 'working day' : 'day'],
    [Math.floor((abs % dayMs) / 3_600_000), working ? 'working hour' : 'hour'],
    [Math.floor((abs % 3_600_000) / 60_000), 'minute'],
  ];
  const shown = parts.filter(([n]) => n > 0).slice(0, 2);
  if (shown.length === 0) {
    const seconds = Math.floor(abs / 1000);
    return seconds > 0 ? plural(seconds, 'second') : 'no time';
  }
  return shown
    .map(([n, unit], i) => plural(n, i === 0 ? unit : unit.replace('working ', '')))
    .join(' and ');
}

/**
 * How long until a deadline, or how far past it, in words: "2 working days
 * left", "overdue by 3 working hours", "due now" (within a minute).
 */
export function timeLeftInWords(remainingMs: number, calendar: Calendar): string {
  if (Math.abs(remainingMs) < 60_000) return 'due now';
  return remainingMs > 0
    ? `${formatSpan(remainingMs, calendar)} left`
    : `overdue by ${formatSpan(-remainingMs, calendar)}`;
}

const UNITS = ['week', 'day', 'hour', 'minute', 'second'] as const;

/**
 * An ISO 8601 target in words in its calendar: P1D → "1 working day",
 * PT4H → "4 working hours", P2W → "2 working weeks", P1DT4H → "1 working day
 * and 4 hours"; in 24x7, "1 day". Anything else is returned as it came.
 */
export function durationInWords(
  iso: string,
  calendar: Calendar = 'working-hours-england-and-wales',
): string {
  const m = DURATION_PATTERN.exec(iso);
  if (!m) return iso;
  const working = isWorking(calendar);
  const parts = UNITS.flatMap((unit, i) => {
    const n = Number(m[i + 1] ?? 0);
    return n > 0 ? [{ n, unit }] : [];
  });
  if (parts.length === 0) return 'no time';
  return parts
    .map(({ n, unit }, i) =>
      plural(n, i === 0 && working && unit !== 'second' ? `working ${unit}` : unit),
    )
    .join(' and ');
}

/**
 * An acknowledge and a resolve target in one phrase: "1 working day to
 * acknowledge, 10 to resolve"; with different units, "4 working hours to
 * acknowledge, 2 working days to resolve".
 */
export function targetsInWords(
  acknowledge: string,
  resolve: string,
  calendar: Calendar = 'working-hours-england-and-wales',
): string {
  const a = durationInWords(acknowledge, calendar);
  const r = durationInWords(resolve, calendar);
  const single = /^(\d+) (.+?)s?$/;
  const ma = single.exec(a);
  const mr = single.exec(r);
  const sameUnit = ma && mr && !a.includes(' and ') && !r.includes(' and ') && ma[2] === mr[2];
  return `${a} to acknowledge, ${sameUnit ? mr[1] : r} to resolve`;
}

/** "20 working days → 15": a change of target, the unit said once when both share it. */
export function targetChangeInWords(
  before: string,
  after: string,
  calendar: Calendar = 'working-hours-england-and-wales',
): string {
  const b = durationInWords(before, calendar);
  const a = durationInWords(after, calendar);
  const single = /^(\d+) (.+?)s?$/;
  const mb = single.exec(b);
  const ma = single.exec(a);
  const sameUnit = mb && ma && !b.includes(' and ') && !a.includes(' and ') && mb[2] === ma[2];
  return `${b} → ${sameUnit ? ma[1] : a}`;
}

const WORD_UNITS: [RegExp, string][] = [
  [/^w(ee)?ks?$/, 'W'],
  [/^d(ays?)?$/, 'D'],
  [/^h(ours?|rs?)?$/, 'H'],
  [/^m(in(ute)?s?)?$/, 'M'],
];

/**
 * A target typed in words as an ISO 8601 duration: "10 working days" → P10D,
 * "1 day and 4 hours" → P1DT4H, "2 weeks" → P2W. An ISO duration comes back
 * as it is; anything else comes back trimmed, for validation to refuse.
 */
export function durationFromWords(text: string): string {
  const t = text.trim();
  if (DURATION_PATTERN.test(t.toUpperCase())) return t.toUpperCase();
  const parts = [...t.toLowerCase().matchAll(/(\d+)\s*(?:working\s+)?([a-z]+)/g)];
  const rest = t
    .toLowerCase()
    .replace(/(\d+)\s*(?:working\s+)?([a-z]+)/g, '')
    .replace(/\band\b|[,\s]/g, '');
  if (parts.length === 0 || rest !== '') return t;
  const got: Record<string, number> = {};
  for (const [, n, unit] of parts) {
    const code = WORD_UNITS.find(([re]) => re.test(unit!))?.[1];
    if (!code || got[code] !== undefined) return t;
    got[code] = Number(n);
  }
  const date = `${got.W ? `${got.W}W` : ''}${got.D ? `${got.D}D` : ''}`;
  const time = `${got.H ? `${got.H}H` : ''}${got.M ? `${got.M}M` : ''}`;
  return `P${date}${time ? `T${time}` : ''}` === 'P' ? t : `P${date}${time ? `T${time}` : ''}`;
}
