/** The asks register: a table of asks, searched, a page at a time. */
import type { StoredAsk } from '../../services/asks.ts';
import type { NumberedPage } from '../../domain/numbered-page.ts';
import { paginationView } from './pagination.ts';
import {
  askStatusName,
  departmentName,
  formatDate,
  outcomeName,
  sentence,
} from '../../domain/format/index.ts';

/** A tag's colour for an ask's status or outcome. */
export const ASK_TAG: Record<string, string> = {
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
              { text: sentence(askStatusName(a.status)), classes: ASK_TAG[a.status] ?? '' },
              ...(a.outcome
                ? [{ text: sentence(outcomeName(a.outcome)), classes: ASK_TAG[a.outcome] ?? '' }]
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
