/** A barrier's page: its summary, SLA clocks and timeline as summary-list rows and events. */
import { BANK_HOLIDAYS_LAST_YEAR } from '../../domain/calendar/working-time.ts';
import { deadlinesBeyondData, type StoredBarrier } from '../../services/barriers.ts';
import type { TimelineDoc } from '../../services/read-model.ts';
import { humanise, london, timeLeft } from '../format.ts';

const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value || '–' } });

const count = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** The text people wrote on an event, whichever field it is in. */
const eventText = (d: Record<string, unknown>) =>
  typeof d.source === 'string'
    ? `From row ${String(d.row)} of ${d.source} (${String(d.importId)})`
    : (['text', 'note', 'reason', 'question', 'response', 'resolution']
        .map((k) => d[k])
        .find((v): v is string => typeof v === 'string' && v !== '') ?? '');

export function barrierPageView(b: StoredBarrier, timeline: TimelineDoc[], now: number) {
  return {
    title: `${b._id}: ${b.title}`,
    b: {
      id: b._id,
      title: b.title,
      where: `${humanise(b.neighbourhood)}, ${humanise(b.locality)}`,
      breached: b.breached,
      atRisk: b.atRisk,
    },
    summary: [
      row('Status', `${humanise(b.status)} at the ${b.stage} stage`),
      row('Owner', b.owner ? `${b.owner.name} (${b.owner.email})` : ''),
      row(
        'Raised by',
        `${(b.raisers?.length ? b.raisers : [b.raisedBy]).join(', ')} on ${london(b.raisedAt)}`,
      ),
      row('Category', humanise(b.category) + (b.focusArea ? ` · ${humanise(b.focusArea)}` : '')),
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
      row('Time left', b.status === 'open' ? timeLeft(b.nextDeadlineAt, b.sla.calendar, now) : ''),
      row(
        'Clock',
        b.sla.paused
          ? `Paused: ${humanise(b.sla.pauseReason)}`
          : b.status === 'open'
            ? `Running (${b.sla.calendar === '24x7' ? 'clock time' : 'working hours, Europe/London'})`
            : 'Stopped',
      ),
      row('Policy', `${b.policy.id} version ${b.policy.version}`),
      ...(deadlinesBeyondData(b)
        ? [
            row(
              'Bank holidays',
              `Deadlines after ${BANK_HOLIDAYS_LAST_YEAR} may be early: the bank-holiday data ends with ${BANK_HOLIDAYS_LAST_YEAR}, so later bank holidays count as working days.`,
            ),
          ]
        : []),
    ],
    timeline: timeline.map((e) => ({
      label: `${humanise(e.type)}${e.barrierId !== b._id ? ` (on ${e.barrierId})` : ''}`,
      at: london(e.at),
      actor: e.actor === 'system' ? 'Golden Thread' : e.actor,
      text: eventText(e.details as Record<string, unknown>),
    })),
  };
}
