/** A barrier's page: its summary, SLA clocks and timeline as summary-list rows and events. */
import { BANK_HOLIDAYS_LAST_YEAR } from '../../domain/calendar/working-time.ts';
import { deadlinesBeyondData, type StoredBarrier } from '../../services/barriers.ts';
import type { TimelineDoc } from '../../services/read-model.ts';
import {
  categoryName,
  eventName,
  focusAreaName,
  formatDateTime,
  listInWords,
  machineTime,
  pauseReasonName,
  placeName,
  routingReasonName,
  sentence,
  stageName,
  statusName,
} from '../../domain/format/index.ts';
import { timeLeft } from '../format.ts';

const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value || '–' } });

const count = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The text people wrote on an event, whichever field it is in. */
const eventText = (type: string, d: Record<string, unknown>) => {
  const owner = d.owner as { name?: unknown; email?: unknown } | undefined;
  if (type === 'routed' && owner && typeof owner.email === 'string')
    return `To ${typeof owner.name === 'string' ? owner.name : owner.email}, as ${routingReasonName(typeof d.reason === 'string' ? d.reason : '')}`;
  return typeof d.source === 'string'
    ? `From row ${String(d.row)} of ${d.source} (${String(d.importId)})`
    : type === 'info-requested'
      ? `${str(d.question)} (the clock is paused: ${pauseReasonName(str(d.reason))})`
      : type === 'info-provided'
        ? str(d.response)
        : (['text', 'note', 'reason', 'resolution']
            .map((k) => d[k])
            .find((v): v is string => typeof v === 'string' && v !== '') ?? '');
};

/** A stored policy id as words: `default` → `Default policy`. */
const policyName = (id: string) => `${sentence(id.replace(/-/g, ' '))} policy`;

/** The emails of the people a barrier's page mentions: its raisers and the timeline's actors. */
export const peopleOnBarrierPage = (b: StoredBarrier, timeline: TimelineDoc[]): string[] => [
  ...new Set([...raisersOf(b), ...timeline.map((e) => e.actor)]),
];

const raisersOf = (b: StoredBarrier) => (b.raisers?.length ? b.raisers : [b.raisedBy]);

/**
 * A barrier's page. `names` gives the directory's names by email: a person is
 * shown by name, by email where the directory has none, and `system` as
 * Golden Thread.
 */
export function barrierPageView(
  b: StoredBarrier,
  timeline: TimelineDoc[],
  now: number,
  names: Readonly<Record<string, string>> = {},
) {
  const london = (d: Date | number | null | undefined) => formatDateTime(d, now);
  const who = (email: string) =>
    email === 'system' ? 'Golden Thread' : Object.hasOwn(names, email) ? names[email]! : email;
  return {
    title: `${b._id}: ${b.title}`,
    b: {
      id: b._id,
      title: b.title,
      where: placeName(b.locality, b.neighbourhood),
      stage: sentence(stageName(b.stage)),
      status: b.status === 'open' ? '' : sentence(statusName(b.status)),
      paused: Boolean(b.sla.paused),
      breached: b.breached,
      atRisk: b.atRisk,
    },
    summary: [
      row('Status', `${sentence(statusName(b.status))} at the ${stageName(b.stage)} stage`),
      row('Owner', b.owner ? `${b.owner.name} (${b.owner.email})` : ''),
      row('Raised by', `${listInWords(raisersOf(b).map(who))}, ${london(b.raisedAt)}`),
      row(
        'Category',
        sentence(categoryName(b.category)) +
          (b.focusArea ? ` (focus area: ${focusAreaName(b.focusArea)})` : ''),
      ),
      row('People affected', count(b.peopleAffected)),
      row('Description', b.description),
      ...(b.askId ? [row('Whitehall ask', b.askId)] : []),
      ...(b.links?.length ? [row('Linked barriers', b.links.join(', '))] : []),
      ...(b.mergedInto ? [row('Merged into', b.mergedInto)] : []),
      ...(b.resolution ? [row('Resolution', b.resolution)] : []),
    ],
    clocks: [
      row('Acknowledge by', b.acknowledged ? 'Acknowledged' : london(b.sla.acknowledgeDueAt)),
      row('Resolve by', london(b.sla.resolveDueAt)),
      row(
        'Time left',
        b.status !== 'open'
          ? ''
          : b.sla.paused
            ? 'The clock is paused'
            : sentence(timeLeft(b.nextDeadlineAt, b.sla.calendar, now)),
      ),
      row(
        'Clock',
        b.sla.paused
          ? `Paused: ${pauseReasonName(b.sla.pauseReason)}`
          : b.status === 'open'
            ? `Running (${b.sla.calendar === '24x7' ? 'every hour of every day' : 'working hours only'})`
            : 'Stopped',
      ),
      row('Policy', `${policyName(b.policy.id ?? 'default')}, version ${b.policy.version}`),
      ...(deadlinesBeyondData(b)
        ? [
            row(
              'Bank holidays',
              `Deadlines after ${BANK_HOLIDAYS_LAST_YEAR} may be early: the bank-holiday data ends with ${BANK_HOLIDAYS_LAST_YEAR}, so later bank holidays count as working days.`,
            ),
          ]
        : []),
    ],
    /** Items for MoJ Frontend's timeline, newest first. */
    timeline: [...timeline].reverse().map((e) => ({
      label: {
        text: `${sentence(eventName(e.type))}${e.barrierId !== b._id ? ` (on ${e.barrierId})` : ''}`,
      },
      datetime: { timestamp: machineTime(e.at), type: 'datetime' },
      byline: { text: who(e.actor) },
      text: eventText(e.type, e.details as Record<string, unknown>),
    })),
  };
}
