/**
 * dailyDigestWorkflow: started by the `daily-digest` Schedule at 08:00
 * Europe/London on weekdays. On a bank holiday it does nothing; on a working
 * morning it sends each person with overdue or at-risk barriers (or deferred
 * updates) one digest, keyed by date and person so a rerun sends nothing twice.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/types.ts';
import { EMAIL_ACTIVITY, STORE_ACTIVITY } from '../activity-options.ts';
import { isoDate, londonDate } from '../../domain/calendar/london-time.ts';
import { bankHolidayOn, isWorkingDay } from '../../domain/calendar/working-time.ts';

const { planDigests } = proxyActivities<Activities>(STORE_ACTIVITY);
const { sendDigest } = proxyActivities<Activities>(EMAIL_ACTIVITY);

export interface DigestRunResult {
  date: string;
  /** Why nothing was sent, when the day is not a working day. */
  skipped: string | null;
  sent: number;
  people: number;
}

/** How many digests are sent at once. */
const CONCURRENCY = 10;

export async function dailyDigestWorkflow(): Promise<DigestRunResult> {
  const asOf = Date.now();
  const day = londonDate(asOf);
  const date = isoDate(day);
  if (!isWorkingDay(day)) {
    const holiday = bankHolidayOn(day);
    return {
      date,
      skipped: holiday ? `bank holiday: ${holiday}` : 'weekend',
      sent: 0,
      people: 0,
    };
  }
  const people = await planDigests({ asOf });
  let sent = 0;
  for (let i = 0; i < people.length; i += CONCURRENCY) {
    const outcomes = await Promise.all(
      people.slice(i, i + CONCURRENCY).map((email) => sendDigest({ email, asOf })),
    );
    sent += outcomes.filter((o) => o === 'sent').length;
  }
  return { date, skipped: null, sent, people: people.length };
}
