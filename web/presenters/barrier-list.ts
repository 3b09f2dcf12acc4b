/** The barriers page: its filters from the query string, and the table's rows. */
import { BARRIER_STATUSES, type Actor } from '../../domain/barrier/types.ts';
import { CATEGORIES, STAGES } from '../../domain/reference-data.ts';
import type { BarrierListQuery } from '../../services/read-model.ts';
import type { BarrierListRow } from '../../services/barriers.ts';
import type { NumberedPage } from '../../domain/numbered-page.ts';
import { pageAsked, paginationView } from './pagination.ts';
import {
  categoryName,
  formatDate,
  placeName,
  sentence,
  stageName,
  statusName,
} from '../../domain/format/index.ts';
import { humanise, timeLeft } from '../format.ts';
import { options } from './options.ts';
import { searchText, searchWords } from '../../domain/search.ts';

/** How many barriers a page shows. */
export const PAGE_SIZE = 25;

export interface ListFilters {
  /** What the search box holds. */
  q: string;
  stage?: (typeof STAGES)[number];
  status?: (typeof BARRIER_STATUSES)[number];
  category?: (typeof CATEGORIES)[number];
  flags: string[];
  sort: 'nextDeadline' | 'raisedAt';
  /** The page asked for, from 1. */
  page: number;
}

const pick = <T extends string>(v: unknown, allowed: readonly T[]): T | undefined =>
  typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;

/** Filters from a query string; anything not recognised is ignored, as a form would send. */
export function listFilters(q: Record<string, unknown>): ListFilters {
  const flags = ([] as unknown[])
    .concat(q.flags ?? [])
    .filter((f): f is string => typeof f === 'string');
  return {
    q: searchText(q.q),
    stage: pick(q.stage, STAGES),
    status: pick(q.status, BARRIER_STATUSES),
    category: pick(q.category, CATEGORIES),
    flags,
    sort: q.sort === 'raisedAt' ? 'raisedAt' : 'nextDeadline',
    page: pageAsked(q.page),
  };
}

/** The list query the filters ask for (the scope is added by the service; the page is asked apart). */
export const listQuery = (f: ListFilters): Omit<BarrierListQuery, 'limit' | 'cursor'> => ({
  words: searchWords(f.q),
  stage: f.stage,
  status: f.status,
  category: f.category,
  breached: f.flags.includes('breached') ? true : undefined,
  atRisk: f.flags.includes('at-risk') ? true : undefined,
  sort: f.sort,
});

const FLAG_NAMES: Record<string, string> = { 'at-risk': 'At risk', breached: 'Breached' };

/** The page's view model. */
export function barrierListView(
  user: Actor,
  f: ListFilters,
  page: NumberedPage<BarrierListRow>,
  canRaise: boolean,
  now: number,
) {
  const base = new URLSearchParams();
  for (const [k, v] of Object.entries({
    q: f.q,
    stage: f.stage,
    status: f.status,
    category: f.category,
  }))
    if (v) base.set(k, v);
  for (const flag of f.flags) base.append('flags', flag);
  const link = (extra: Record<string, string>) => {
    const p = new URLSearchParams(base);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return `/barriers?${p.toString()}`;
  };
  /** This list without one of its filters (sorted as it is, from its first page). */
  const without = (key: string, value?: string) => {
    const p = new URLSearchParams(
      [...base].filter(([k, v]) => k !== key || (value !== undefined && v !== value)),
    );
    p.set('sort', f.sort);
    return `/barriers?${p.toString()}`;
  };
  const chosen = [
    f.q ? { heading: 'Search', text: `“${f.q}”`, href: without('q') } : null,
    f.stage
      ? { heading: 'Stage', text: sentence(stageName(f.stage)), href: without('stage') }
      : null,
    f.status
      ? { heading: 'Status', text: sentence(statusName(f.status)), href: without('status') }
      : null,
    f.category
      ? { heading: 'Category', text: sentence(categoryName(f.category)), href: without('category') }
      : null,
    ...f.flags
      .filter((flag) => flag in FLAG_NAMES)
      .map((flag) => ({
        heading: 'Only show',
        text: FLAG_NAMES[flag]!,
        href: without('flags', flag),
      })),
  ].filter((c) => c !== null);
  const { showing, pagination } = paginationView(
    page,
    (n) => link({ sort: f.sort, ...(n > 1 ? { page: String(n) } : {}) }),
    'barriers',
  );
  return {
    title:
      user.role === 'locality-lead'
        ? `Barriers in ${humanise(user.locality)}`
        : user.role === 'neighbourhood-lead'
          ? 'Your neighbourhood’s barriers'
          : 'All barriers',
    canRaise,
    q: f.q,
    csvHref: `/barriers.csv?${new URLSearchParams([...base, ['sort', f.sort]]).toString()}`,
    empty: f.q
      ? `No barriers you can see match “${f.q}” with these filters.`
      : 'No barriers match these filters.',
    filters: {
      stage: options(STAGES, f.stage, 'Any stage', stageName),
      status: options(BARRIER_STATUSES, f.status, 'Any status', statusName),
      category: options(CATEGORIES, f.category, 'Any category', categoryName),
      sort: [
        { value: 'nextDeadline', text: 'Next deadline', selected: f.sort === 'nextDeadline' },
        { value: 'raisedAt', text: 'Most recently raised', selected: f.sort === 'raisedAt' },
      ],
      flags: [
        { value: 'at-risk', text: 'At risk', checked: f.flags.includes('at-risk') },
        { value: 'breached', text: 'Breached', checked: f.flags.includes('breached') },
      ],
    },
    sortLinks: {
      nextDeadline: link({ sort: 'nextDeadline' }),
      raisedAt: link({ sort: 'raisedAt' }),
    },
    showing,
    pagination,
    /** MoJ Frontend's filter: what is chosen, each with a link that takes it away. */
    selectedFilters: chosen.length
      ? {
          heading: { text: 'Selected filters' },
          clearLink: { text: 'Clear filters', href: `/barriers?sort=${f.sort}` },
          categories: [...new Set(chosen.map((c) => c.heading))].map((heading) => ({
            heading: { text: heading },
            items: chosen
              .filter((c) => c.heading === heading)
              .map((c) => ({ href: c.href, text: c.text })),
          })),
        }
      : undefined,
    rows: page.items.map((b) => ({
      id: b._id,
      title: b.title,
      where: placeName(b.locality, b.neighbourhood),
      stage: sentence(stageName(b.stage)),
      status: b.status === 'open' ? '' : statusName(b.status),
      category: sentence(categoryName(b.category)),
      paused: Boolean(b.sla.paused),
      owner: b.owner?.name ?? '',
      breached: b.breached,
      atRisk: b.atRisk,
      timeLeft:
        b.status !== 'open'
          ? ''
          : b.sla.paused
            ? 'Clock paused'
            : sentence(timeLeft(b.nextDeadlineAt, b.sla.calendar, now)),
      raised: formatDate(b.raisedAt),
    })),
  };
}
