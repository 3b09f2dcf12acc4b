/**
 * An ask's evidence in words, for its page and its evidence pack alike: a
 * missed deadline, a chaser, the working time a barrier spent at each stage.
 */
import type { Chaser, MissedDeadline, StageTime } from '../ask/evidence.ts';
import { formatDateTime } from './dates.ts';
import { formatSpan } from './durations.ts';
import { stageName } from './names.ts';

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
