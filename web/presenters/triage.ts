/** The triage page's table, from the service's ordered queue. */
import type { TriageEntry } from '../../services/triage.ts';
import { humanise, timeLeft } from '../format.ts';

export function triageView(queue: TriageEntry[], now: number) {
  return {
    title: 'Triage queue',
    intro:
      'Every barrier escalated to GMCA, most urgent first: breached, then the nearest deadline, then people affected, then localities sharing it.',
    links: [],
    tables: [
      {
        caption: `${queue.length} escalated barrier${queue.length === 1 ? '' : 's'}`,
        empty: 'Nothing is waiting for triage.',
        head: [
          'Reference',
          'Title',
          'Locality',
          'Category',
          'Likely duplicates',
          'People affected',
          'Localities sharing',
          'Deadline',
        ],
        rows: queue.map(({ barrier: b, localitiesSharing, likelyDuplicates }) => [
          { text: b._id, href: `/barriers/${b._id}` },
          { text: b.title },
          { text: humanise(b.locality) },
          { text: humanise(b.category) },
          { text: likelyDuplicates.map((d) => d.id).join(', ') || 'None' },
          {
            text:
              b.peopleAffected === null || b.peopleAffected === undefined
                ? ''
                : String(b.peopleAffected),
          },
          { text: String(localitiesSharing) },
          { text: b.breached ? 'Breached' : timeLeft(b.nextDeadlineAt, b.sla.calendar, now) },
        ]),
      },
    ],
  };
}
