/** The barriers page: its filters from the query string, and the table's rows. */
import { BARRIER_STATUSES, type Actor } from '../../domain/barrier/types.ts';
import { CATEGORIES, STAGES } from '../../domain/reference-data.ts';
import type { BarrierListQuery } from '../../services/read-model.ts';
import type { StoredBarrier } from '../../services/barriers.ts';
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
export const PAGE_SIZE = 50;

export interface ListFilters {
  /** What the search box holds. */
  q: string;
  stage?: (typeof STAGES)[number];
  status?: (typeof BARRIER_STATUSES)[number];
  category?: (typeof CATEGORIES)[number];
  flags: string[];
  sort: 'nextDeadline' | 'raisedAt';
  cursor?: string;
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
    cursor: typeof q.cursor === 'string' && q.cursor !== '' ? q.cursor : undefined,
  };
}

/** The list query the filters ask for (the scope is added by the service). */
export const listQuery = (f: ListFilters): BarrierListQuery => ({
  words: searchWords(f.q),
  stage: f.stage,
  status: f.status,
  category: f.category,
  breached: f.flags.includes('breached') ? true : undefined,
  atRisk: f.flags.includes('at-risk') ? true : undefined,
  sort: f.sort,
  limit: PAGE_SIZE,
  cursor: f.cursor,
});

/** The page's view model. */
export function barrierListView(
  user: Actor,
  f: ListFilters,
  page: { items: StoredBarrier[]; nextCursor: string | null },
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
    nextPage: page.nextCursor ? link({ sort: f.sort, cursor: page.nextCursor }) : null,
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
