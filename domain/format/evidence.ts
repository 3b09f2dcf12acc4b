/**
 * An ask's evidence and history in words, for its page and its evidence pack
 * alike: why it matters, a missed deadline, a chaser, the working time a
 * barrier spent at each stage, and the ask's own events.
 */
import type { AskEvidenceDetail, Chaser, MissedDeadline, StageTime } from '../ask/evidence.ts';
import { localityName } from '../places.ts';
import { formatDate, formatDateTime } from './dates.ts';
import { formatSpan } from './durations.ts';
import { listInWords, outcomeName, sentence, stageName } from './names.ts';

/** "1 barrier", "3 barriers"; `many` where the plural is not an s. */
export const countOf = (n: number, one: string, many = `${one}s`): string =>
  `${n} ${n === 1 ? one : many}`;

/** "To resolve by 3 November 2026 at 5pm (locality stage)". */
export const missedDeadlineInWords = (m: Pick<MissedDeadline, 'clock' | 'dueAt' | 'stage'>) =>
  `To ${m.clock || 'resolve'} by ${formatDateTime(m.dueAt)} (${stageName(m.stage)} stage)`;

/** "Chaser 1 sent automatically: no response by its due date", "Chased by GMCA: …". */
export const chaserInWords = (c: Pick<Chaser, 'automatic' | 'chaser' | 'note'>) =>
  c.automatic
    ? `Chaser${c.chaser ? ` ${c.chaser}` : ''} sent automatically: no response by its due date`
    : `Chased by GMCA${c.note ? `: ${c.note}` : ''}`;

/** "5 working days at the neighbourhood stage, 2 working hours at the locality stage". */
export const stageTimesInWords = (stages: readonly StageTime[], calendar: string) =>
  stages.map((s) => `${formatSpan(s.ms, calendar)} at the ${stageName(s.stage)} stage`).join(', ');

/** The names of the localities the ask's barriers come from. */
export const affectedPlaceNames = (evidence: Pick<AskEvidenceDetail, 'localities'>): string[] =>
  evidence.localities.filter((l) => l.affected).map((l) => localityName(l.locality));

/** Why the ask matters, in three sentences a department official reads first. */
export function whyItMattersInWords(evidence: AskEvidenceDetail): string[] {
  const places = affectedPlaceNames(evidence);
  const cases = evidence.barriers.length;
  const longest = [...evidence.barriers].sort((a, b) => b.openForMs - a.openForMs)[0];
  return [
    `The ask bundles ${countOf(cases, 'barrier')} raised in ${countOf(places.length, 'locality', 'localities')} of Greater Manchester (${listInWords(places) || 'none'}). Together they affect ${countOf(evidence.peopleAffected, 'person', 'people')}.`,
    `On their way up the escalation ladder they missed ${evidence.breaches ? countOf(evidence.breaches, 'deadline') : 'no deadline'}${
      longest
        ? `; the longest-standing, ${longest.id}, has been open for ${formatSpan(longest.openForMs, longest.calendar)}`
        : ''
    }.`,
    'Each reached GMCA, which found that only central government can remove it.',
  ];
}

/** An event of an ask's history, as its page and pack read it. */
interface AskEventLike {
  type: string;
  details?: unknown;
}

const text = (e: AskEventLike, key: string): string => {
  const v = (e.details as Record<string, unknown> | null | undefined)?.[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
};

/** The ask's event in words; null for an event a department need not read of. */
export function askEventInWords(e: AskEventLike, departmentFull: string): string | null {
  switch (e.type) {
    case 'created':
      return 'Ask drafted by GMCA';
    case 'barrier-added':
      return `${text(e, 'barrierId')} added`;
    case 'barrier-removed':
      return `${text(e, 'barrierId')} removed`;
    case 'ask-submitted':
      return `Submitted to the ${departmentFull}; a response is due by ${formatDate(Number(text(e, 'dueAt')))}`;
    case 'ask-chased':
      return chaserInWords({
        automatic: (e.details as { automatic?: unknown } | null | undefined)?.automatic === true,
        chaser: Number(text(e, 'chaser')) || null,
        note: text(e, 'note') || null,
      });
    case 'ask-outcome': {
      const outcome = sentence(outcomeName(text(e, 'outcome')));
      const response = text(e, 'response');
      return `Answered: ${outcome}${response ? `. ${response}` : ''}`;
    }
    case 'withdrawn':
      return `Withdrawn${text(e, 'reason') ? `: ${text(e, 'reason')}` : ''}`;
    default:
      return null;
  }
}
