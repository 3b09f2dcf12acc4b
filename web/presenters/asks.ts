/** The asks register and an ask's page: a table of asks; an ask's facts, barriers and history. */
import type { StoredAsk, askDetail } from '../../services/asks.ts';
import type { NumberedPage } from '../../domain/numbered-page.ts';
import { paginationView } from './pagination.ts';
import { askPackLinks } from './ask-pack.ts';
import {
  askStatusName,
  departmentName,
  eventName,
  formatDate,
  formatDateTime,
  listInWords,
  localityName,
  machineTime,
  outcomeName,
  placeName,
  sentence,
  statusName,
} from '../../domain/format/index.ts';

const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value || '–' } });

/** A tag's colour for an ask's status or outcome. */
const TAG: Record<string, string> = {
  draft: 'govuk-tag--grey',
  submitted: 'govuk-tag--blue',
  answered: 'govuk-tag--green',
  withdrawn: 'govuk-tag--grey',
  agreed: 'govuk-tag--green',
  'partially-agreed': 'govuk-tag--yellow',
  declined: 'govuk-tag--red',
  'no-response': 'govuk-tag--orange',
};

/** How many asks a page of the register shows. */
export const ASKS_PAGE_SIZE = 25;

export function askRegisterView(page: NumberedPage<StoredAsk>, q = '') {
  const asks = page.items;
  const { showing, pagination } = paginationView(
    page,
    (n) => {
      const p = new URLSearchParams(q ? { q } : {});
      if (n > 1) p.set('page', String(n));
      return `/asks${p.size ? `?${p.toString()}` : ''}`;
    },
    'asks',
  );
  return {
    title: 'Whitehall asks',
    intro: 'Formal asks of central government, bundling barriers from across Greater Manchester.',
    search: {
      action: '/asks',
      value: q,
      hint: 'Words in the reference, title or ask; every word must match',
    },
    links: [
      {
        href: `/asks.csv${q ? `?${new URLSearchParams({ q }).toString()}` : ''}`,
        text: q ? 'Download these asks (CSV)' : 'Download the register (CSV)',
      },
    ],
    tables: [
      {
        caption: showing,
        pagination,
        empty: q ? `No asks you can see match “${q}”.` : 'There are no asks you can see yet.',
        head: ['Reference', 'Title', 'Department', 'Status', 'Response due'],
        rows: asks.map((a) => [
          { text: a._id, href: `/asks/${a._id}` },
          { text: a.title },
          { text: departmentName(a.department) },
          {
            text: '',
            tags: [
              { text: sentence(askStatusName(a.status)), classes: TAG[a.status] ?? '' },
              ...(a.outcome
                ? [{ text: sentence(outcomeName(a.outcome)), classes: TAG[a.outcome] ?? '' }]
                : []),
            ],
          },
          {
            text: a.dueAt ? formatDate(a.dueAt) : 'Not submitted yet',
            sort: a.dueAt ? new Date(a.dueAt).getTime() : 0,
          },
        ]),
      },
    ],
  };
}

/** The people an ask's page names: whoever acted on its history. */
export const peopleOnAskPage = ({
  timeline,
}: Pick<Awaited<ReturnType<typeof askDetail>>, 'timeline'>) => [
  ...new Set(timeline.map((e) => e.actor)),
];

/**
 * An ask's page. `names` gives the directory's names by email: a person is
 * shown by name, by email where the directory has none, and `system` as
 * Golden Thread.
 */
export function askPageView(
  { ask: a, evidence, timeline }: Awaited<ReturnType<typeof askDetail>>,
  names: Readonly<Record<string, string>> = {},
) {
  return {
    title: `${a._id}: ${a.title}`,
    heading: a.title,
    caption: a._id,
    tags: [
      { text: sentence(askStatusName(a.status)), classes: TAG[a.status] ?? '' },
      ...(a.outcome
        ? [{ text: sentence(outcomeName(a.outcome)), classes: TAG[a.outcome] ?? '' }]
        : []),
    ],
    summary: [
      row('The ask', a.ask),
      row('Department', departmentName(a.department)),
      row('Status', sentence(askStatusName(a.status))),
      ...(a.outcome ? [row('Outcome', sentence(outcomeName(a.outcome)))] : []),
      ...(a.response ? [row('Response', a.response)] : []),
      ...(a.submittedAt ? [row('Submitted', formatDateTime(a.submittedAt))] : []),
      row('Response due', a.dueAt ? formatDateTime(a.dueAt) : 'Not submitted yet'),
      row('Localities', listInWords(evidence.localities.map(localityName))),
      row('People affected', String(evidence.peopleAffected)),
      row('Deadlines missed along the way', String(evidence.breaches)),
    ],
    links: askPackLinks(a._id),
    tables: [
      {
        caption: 'Bundled barriers',
        empty: 'None.',
        head: ['Reference', 'Title', 'Where', 'Status', 'People affected', 'Deadlines missed'],
        rows: evidence.barriers.map((b) => [
          { text: b.id, href: `/barriers/${b.id}` },
          { text: b.title },
          { text: placeName(b.locality) },
          { text: sentence(statusName(b.status)) },
          { text: b.peopleAffected === null ? 'Not known' : String(b.peopleAffected) },
          { text: String(b.breaches) },
        ]),
      },
    ],
    /** Items for MoJ Frontend's timeline, newest first. */
    timeline: [...timeline].reverse().map((e) => ({
      label: { text: sentence(eventName(e.type)) },
      datetime: { timestamp: machineTime(e.at), type: 'datetime' },
      byline: { text: e.actor === 'system' ? 'Golden Thread' : (names[e.actor] ?? e.actor) },
    })),
  };
}
