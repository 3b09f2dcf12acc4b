/**
 * The open register's pages, and the preview GMCA reads before publishing:
 * one view of a public record for both, so the preview is the page.
 */
import { numberedPage } from '../../domain/numbered-page.ts';
import { PACK_FORMATS } from '../../domain/ask/pack-formats.ts';
import { DEPARTMENTS } from '../../domain/reference-data.ts';
import {
  askStatusName,
  formatDate,
  listInWords,
  localityName,
  machineTime,
  outcomeName,
  plural,
  sentence,
} from '../../domain/format/index.ts';
import {
  OPEN_LICENCE,
  reviewTag,
  type PublicAsk,
} from '../../services/open-register/public-ask.ts';
import { OPEN_OUTCOMES, type OpenRegisterQuery } from '../../services/open-register/open-data.ts';
import type { OpenRegister, Publication } from '../../services/open-register/register.ts';
import type { AskActionItem } from './ask-actions.ts';
import { ASK_TAG } from './asks.ts';
import { paragraphs, type FactRow } from './ask-page.ts';
import { paginationView } from './pagination.ts';

/** How many asks a page of the register shows. */
export const OPEN_PAGE_SIZE = 25;

const FORMAT_NAMES = { docx: 'Word document, .docx', pdf: 'PDF' } as const;

const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value || '–' } });

const tagsOf = (r: Pick<PublicAsk, 'status' | 'outcome'>) => [
  { text: sentence(askStatusName(r.status)), classes: ASK_TAG[r.status] ?? '' },
  ...(r.outcome
    ? [{ text: sentence(outcomeName(r.outcome)), classes: ASK_TAG[r.outcome] ?? '' }]
    : []),
];

/** The public record in words: the body of its page and of the preview. */
export function publicAskView(r: PublicAsk, options: { open?: boolean } = {}) {
  const { pack } = r;
  const placeWords = listInWords(r.evidence.localities.map(localityName));
  return {
    reference: r.reference,
    title: r.title,
    open: options.open ?? false,
    tags: tagsOf(r),
    facts: [
      row('Department', r.departmentName),
      row('Status', sentence(askStatusName(r.status))),
      ...(r.outcome ? [row('Outcome', sentence(outcomeName(r.outcome)))] : []),
      row('Submitted', r.submittedAt ? formatDate(r.submittedAt) : 'Not submitted'),
      ...(r.responseDueAt ? [row('Response due', formatDate(r.responseDueAt))] : []),
      ...(r.respondedAt ? [row('Answered', formatDate(r.respondedAt))] : []),
      row('Chasers sent', String(r.chasers)),
      row('Localities affected', placeWords || 'None'),
      row('Barriers bundled', String(r.evidence.barriers)),
      row('People affected', String(r.evidence.peopleAffected)),
      row('Deadlines missed along the way', String(r.evidence.deadlinesMissed)),
      row('Longest open', plural(r.evidence.longestOpenWorkingDays, 'working day')),
    ],
    ask: paragraphs(r.ask),
    response: paragraphs(r.response),
    noResponse:
      r.status === 'answered'
        ? 'The department did not respond.'
        : r.responseDueAt
          ? `No response yet. It is due by ${formatDate(r.responseDueAt)}.`
          : 'No response yet.',
    why: pack.whyItMatters,
    figures: {
      caption: pack.figures.caption,
      head: [...pack.figures.head],
      rows: [
        ...pack.figures.rows.map((x) => [
          { text: x.locality },
          { text: String(x.barriers) },
          { text: String(x.people) },
        ]),
        [
          { text: 'All localities' },
          { text: String(pack.figures.total.barriers) },
          { text: String(pack.figures.total.people) },
        ],
      ],
      note: pack.figures.note,
    },
    cases: pack.cases.map((c) => ({
      reference: c.reference,
      heading: c.heading,
      where: c.facts.find((f) => f.key === 'Where')?.value ?? '',
      description: paragraphs(c.description),
      history: c.history,
    })),
    chasers: pack.chasers.summary,
    history: pack.history,
  };
}

const packLinks = (reference: string) =>
  PACK_FORMATS.map((format) => ({
    href: `/open/asks/${encodeURIComponent(reference)}/evidence-pack.${format}`,
    text: `Download the evidence pack (${FORMAT_NAMES[format]})`,
  }));

/** A published ask's page on the open register. */
export function openAskPageView(p: Publication) {
  const r = p.record;
  const updated =
    p.publishedAt.getTime() !== p.firstPublishedAt.getTime()
      ? `; last updated on ${formatDate(p.publishedAt)}`
      : '';
  return {
    title: `${r.reference}: ${r.title}`,
    licence: OPEN_LICENCE,
    a: {
      ...publicAskView(r),
      published: `Published by GMCA on ${formatDate(p.firstPublishedAt)}${updated}.`,
      packLinks: packLinks(r.reference),
    },
  };
}

/** The page of an ask taken down from the register. */
export function withdrawnAskView(p: Publication) {
  return {
    title: `${p.askId} was withdrawn`,
    paragraphs: [
      `The Whitehall ask ${p.askId} was withdrawn from the open register on ${formatDate(p.withdrawnAt)}.`,
      'GMCA published it and has since taken it down, so it is no longer shown here.',
    ],
  };
}

const choice = (value: string, text: string, current: string | number | undefined) => ({
  value,
  text,
  selected: String(current ?? '') === value,
});

/** The register's query string for `filters` (and page `n` after the first). */
export function registerQuery(filters: OpenRegisterQuery, n = 1): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters))
    if (v !== undefined && v !== '') p.set(k, String(v));
  if (n > 1) p.set('page', String(n));
  return p.size ? `?${p.toString()}` : '';
}

/** The register's page: filters, one card per ask, the open data's links. */
export function openRegisterView(
  register: OpenRegister,
  filters: OpenRegisterQuery,
  pageNumber: number,
) {
  const page = numberedPage(register.items, pageNumber, OPEN_PAGE_SIZE);
  const { showing, pagination } = paginationView(
    page,
    (n) => `/open${registerQuery(filters, n)}`,
    'asks',
  );
  const departments = [...new Set(register.all.map((p) => p.record.department))].sort();
  const years = [...new Set(register.all.map((p) => p.record.year))].sort((a, b) => b - a);
  const filtered = Object.values(filters).some((v) => v !== undefined && v !== '');
  const query = registerQuery(filters);
  return {
    title: 'Greater Manchester’s Whitehall asks',
    filters: { q: filters.q ?? '' },
    filtered,
    choices: {
      department: [
        choice('', 'All departments', filters.department),
        ...departments.map((d) =>
          choice(d, (DEPARTMENTS as Record<string, string>)[d] ?? d, filters.department),
        ),
      ],
      outcome: [
        choice('', 'Any outcome', filters.outcome),
        ...OPEN_OUTCOMES.map((o) =>
          choice(
            o,
            o === 'awaiting' ? 'Awaiting a response' : sentence(outcomeName(o)),
            filters.outcome,
          ),
        ),
      ],
      year: [
        choice('', 'Any year', filters.year),
        ...years.map((y) => choice(String(y), String(y), filters.year)),
      ],
    },
    showing,
    pagination,
    empty: filtered
      ? 'No published asks match. Try fewer words or clear the filters.'
      : 'No asks have been published yet.',
    asks: page.items.map(({ record: r, firstPublishedAt }) => ({
      reference: r.reference,
      heading: `${r.reference}: ${r.title}`,
      href: `/open/asks/${encodeURIComponent(r.reference)}`,
      rows: [
        row('Department', r.departmentName),
        row(
          'Status',
          r.outcome
            ? `${sentence(askStatusName(r.status))}: ${outcomeName(r.outcome)}`
            : sentence(askStatusName(r.status)),
        ),
        row('Submitted', r.submittedAt ? formatDate(r.submittedAt) : 'Not submitted'),
        row('Localities affected', listInWords(r.evidence.localities.map(localityName))),
        row('People affected', String(r.evidence.peopleAffected)),
        row('Published', formatDate(firstPublishedAt)),
      ],
    })),
    files: { csv: `/open/asks.csv${query}`, json: `/open/asks.json${query}` },
    licence: OPEN_LICENCE,
  };
}

/** The preview GMCA reads before publishing, and the publish form. */
export function publishPreviewView(
  askId: string,
  record: PublicAsk,
  publication: Publication | null,
) {
  const update = publication?.status === 'published';
  return {
    title: update ? `Publish the update to ${askId}` : `Publish ${askId} on the open register`,
    heading: update
      ? 'Publish the update on the open register'
      : 'Publish this ask on the open register',
    askId,
    reviewed: reviewTag(record),
    button: update ? 'Publish the update' : 'Publish this ask',
    current: update
      ? `The open register shows ${askId} as it was on ${formatDate(publication.publishedAt)}. Publishing replaces that with what the preview shows.`
      : publication?.status === 'withdrawn'
        ? `${askId} was withdrawn from the open register on ${formatDate(publication.withdrawnAt)}. Publishing puts it back, as the preview shows it.`
        : '',
    a: publicAskView(record, { open: true }),
  };
}

/** What publishing did, as the ask page's banner says it; undefined for anything else. */
export function publicationNotice(done: unknown, askId: string): string | undefined {
  switch (done) {
    case 'published':
      return `${askId} is published on the open register: anyone can read it at /open`;
    case 'publication-updated':
      return `The open register now shows ${askId} as it stands`;
    case 'unpublished':
      return `${askId} was withdrawn from the open register: its public page says so`;
    default:
      return undefined;
  }
}

const ACT_WORDS = {
  published: 'Published on the open register',
  updated: 'Update published on the open register',
  withdrawn: 'Withdrawn from the open register',
} as const;

/**
 * The ask's place on the open register, on its page: a fact, the actions
 * GMCA may take (publish, publish the update, withdraw), and the acts for
 * its timeline.
 */
export function publicationOnAskPage(
  a: { _id: string; status: string; lastSeq: number; submittedAt?: Date | null },
  p: Publication | null,
  mayPublish: boolean,
  names: Readonly<Record<string, string>>,
) {
  const publicHref = `/open/asks/${encodeURIComponent(a._id)}`;
  const publishHref = `/asks/${encodeURIComponent(a._id)}/publish`;
  const published = p?.status === 'published';
  const changed = published && p.version < a.lastSeq;
  const fact: FactRow = {
    key: 'Open register',
    text: !p
      ? a.submittedAt
        ? 'Not published'
        : 'Not published: an ask can be published once it is submitted'
      : p.status === 'withdrawn'
        ? `Withdrawn from the open register on ${formatDate(p.withdrawnAt)}`
        : `Published on ${formatDate(p.firstPublishedAt)}${
            p.publishedAt.getTime() !== p.firstPublishedAt.getTime()
              ? `, last updated on ${formatDate(p.publishedAt)}`
              : ''
          }${changed ? '. The ask has changed since: the register shows it as it was then' : ''}`,
  };
  const actions: AskActionItem[] = [];
  if (published)
    actions.push({ kind: 'link', href: publicHref, text: 'See it on the open register' });
  if (mayPublish && a.submittedAt) {
    if (!published)
      actions.push({
        kind: 'link',
        href: publishHref,
        text: p ? 'Publish this ask again' : 'Publish this ask',
      });
    else if (changed) actions.push({ kind: 'link', href: publishHref, text: 'Publish the update' });
    if (published)
      actions.push({
        kind: 'post',
        action: `/asks/${encodeURIComponent(a._id)}/unpublish`,
        heading: 'Take it down',
        intro: 'Its public page will then say it was withdrawn, and when.',
        button: 'Withdraw from the open register',
        style: 'warning',
      });
  }
  const timeline = (p?.history ?? []).map((h) => ({
    label: { text: ACT_WORDS[h.type] },
    text:
      h.type === 'withdrawn'
        ? 'Taken down from the open register'
        : `As it stood after event ${h.version} of its history`,
    datetime: { timestamp: machineTime(h.at), type: 'datetime' },
    byline: { text: names[h.by] ?? h.by },
  }));
  return { fact, actions, timeline };
}
