/**
 * The people pages' view models: the list's search and filters (MoJ Frontend's
 * filter, with a link to remove each one chosen), its page of people, and on
 * a person's page what they hold now: their posts and the open barriers they
 * own. Pure: the routes fetch, these shape.
 */
import type { OwnedBarrier, PeopleFilter } from '../../services/directory.ts';
import type { NumberedPage } from '../../domain/numbered-page.ts';
import type { PersonView } from '../../services/directory.ts';
import { LOCALITIES, ROLES } from '../../domain/reference-data.ts';
import {
  formatDateTime,
  localityName,
  plural,
  roleName,
  sentence,
  stageName,
} from '../../domain/format/index.ts';
import { peopleRows } from './admin.ts';
import { paginationView } from './pagination.ts';

export const PEOPLE_FILTERS = ['q', 'role', 'locality', 'away'] as const;
export type PeopleValues = Partial<Record<(typeof PEOPLE_FILTERS)[number], string>>;

/** The search and filters from the query, empty ones dropped (validation is the service's schema). */
export function peopleValues(query: Record<string, unknown>): PeopleValues {
  return Object.fromEntries(
    PEOPLE_FILTERS.flatMap((f) => {
      const v = query[f];
      return typeof v === 'string' && v.trim() !== '' ? [[f, v.trim()]] : [];
    }),
  );
}

/** The people list's address with these filters, on page `page` (the first when 1). */
export function peopleHref(values: PeopleValues, page = 1): string {
  const params = new URLSearchParams(values);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/admin/people?${query}` : '/admin/people';
}

const without = (values: PeopleValues, f: keyof PeopleValues): PeopleValues => {
  const { [f]: _dropped, ...rest } = values;
  return rest;
};

/** MoJ Frontend's filter: each chosen filter as a tag that removes it, and the form's items. */
export function peopleFilterView(values: PeopleValues) {
  const chosen = (
    [
      ['q', 'Name or email', values.q && `“${values.q}”`],
      ['role', 'Role', values.role && sentence(roleName(values.role))],
      ['locality', 'Locality', values.locality && localityName(values.locality)],
      ['away', 'Availability', values.away && 'Away'],
    ] as const
  ).flatMap(([f, heading, text]) =>
    text
      ? [{ heading: { text: heading }, items: [{ href: peopleHref(without(values, f)), text }] }]
      : [],
  );
  return {
    selectedFilters: chosen.length
      ? {
          heading: { text: 'Selected filters' },
          clearLink: { text: 'Clear filters', href: '/admin/people' },
          categories: chosen,
        }
      : undefined,
    roleItems: [
      { value: '', text: 'Any role' },
      ...ROLES.map((r) => ({
        value: r,
        text: sentence(roleName(r)),
        selected: r === values.role,
      })),
    ],
    localityItems: [
      { value: '', text: 'Anywhere' },
      ...LOCALITIES.map((l) => ({
        value: l,
        text: localityName(l),
        selected: l === values.locality,
      })),
    ],
    awayItems: [{ value: 'yes', text: 'Only people marked away', checked: values.away === 'yes' }],
  };
}

/** The people page: the filter, the page of people, and the pages. */
export function peopleListView(
  page: NumberedPage<PersonView>,
  values: PeopleValues,
  filtered: PeopleFilter | undefined,
) {
  const { showing, pagination } = paginationView(page, (n) => peopleHref(values, n), 'people');
  return {
    values,
    filter: peopleFilterView(values),
    showing: page.total === 1 ? '1 person' : showing,
    pagination,
    rows: peopleRows(page.items),
    empty:
      filtered && Object.keys(filtered).length
        ? 'No one matches. Try fewer words or clear a filter.'
        : 'No one is in the directory yet.',
  };
}

/** What someone holds now: their posts and the open barriers they own. */
export function personHoldsView(
  assignments: { where: string; as: string }[],
  owned: { total: number; items: OwnedBarrier[] },
  now?: number,
) {
  return {
    posts: assignments.map((a) => `${sentence(a.as)}, ${a.where}`),
    openBarriers: {
      summary: owned.total
        ? `They own ${plural(owned.total, 'open barrier')}${owned.total > owned.items.length ? `; the ${owned.items.length} most urgent:` : ':'}`
        : 'They own no open barriers.',
      items: owned.items.map((b) => ({
        href: `/barriers/${encodeURIComponent(b.id)}`,
        text: `${b.reference}: ${b.title}`,
        detail: [
          `${sentence(stageName(b.stage))} stage`,
          b.breached
            ? 'overdue'
            : b.nextDeadlineAt
              ? `next due ${formatDateTime(b.nextDeadlineAt, now)}`
              : 'nothing due',
        ].join(', '),
      })),
    },
  };
}
