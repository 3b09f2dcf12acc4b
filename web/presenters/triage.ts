/** The triage page's table, from the service's ordered queue. */
import type { TriagePage } from '../../services/triage.ts';
import { categoryName, localityName, sentence } from '../../domain/format/index.ts';
import { timeLeft } from '../format.ts';

export function triageView(page: TriagePage, now: number) {
  const { entries, total } = page;
  return {
    title: 'Triage queue',
    intro:
      'Every barrier escalated to GMCA, most urgent first: breached, then the nearest deadline, then people affected, then localities sharing it.',
    links: [],
    tables: [
      {
        caption:
          entries.length < total
            ? `${total} escalated barriers (${entries.length} on this page)`
            : `${total} escalated barrier${total === 1 ? '' : 's'}`,
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
        rows: entries.map(
          ({ barrier: b, localitiesSharing, likelyDuplicates, likelyDuplicateCount }) => [
            { text: b._id, href: `/barriers/${b._id}` },
            { text: b.title },
            { text: localityName(b.locality) },
            { text: sentence(categoryName(b.category)) },
            {
              text:
                [
                  ...likelyDuplicates.map((d) => d.id),
                  ...(likelyDuplicateCount > likelyDuplicates.length
                    ? [`and ${likelyDuplicateCount - likelyDuplicates.length} more`]
                    : []),
                ].join(', ') || 'None',
            },
            {
              text:
                b.peopleAffected === null || b.peopleAffected === undefined
                  ? ''
                  : String(b.peopleAffected),
            },
            { text: String(localitiesSharing) },
            b.breached
              ? { text: '', tags: [{ text: 'Breached', classes: 'govuk-tag--red' }] }
              : { text: sentence(timeLeft(b.nextDeadlineAt, b.sla.calendar, now)) },
          ],
        ),
      },
    ],
    nextPage: page.nextCursor ? `/triage?cursor=${encodeURIComponent(page.nextCursor)}` : null,
  };
}
