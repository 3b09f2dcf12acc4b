/**
 * The open register as open data: JSON and CSV of the published asks, and an
 * Atom feed of each publication (a new ask, or an update such as its
 * outcome), each stating the Open Government Licence.
 */
import { Feed } from 'feed';
import { z } from 'zod';
import { ASK_OUTCOMES } from '../../domain/barrier/types.ts';
import { DEPARTMENT_SLUGS } from '../../domain/reference-data.ts';
import { searchQuerySchema } from '../../domain/search.ts';
import {
  askStatusName,
  formatDate,
  localityName,
  outcomeName,
  sentence,
} from '../../domain/format/index.ts';
import { ASK_STATUSES } from '../../domain/ask/ask-machine.ts';
import { toCsv } from '../csv.ts';
import { OPEN_LICENCE, LICENCE_STATEMENT, type PublicAsk } from './public-ask.ts';
import type { OpenRegister, Publication } from './register.ts';

/** `awaiting`: no outcome yet. */
export const OPEN_OUTCOMES = [...ASK_OUTCOMES, 'awaiting'] as const;

/** The register's filters, for its page and its files alike. */
export const openRegisterQuerySchema = z.strictObject({
  q: searchQuerySchema
    .optional()
    .describe(
      'Words to find in the reference, title, ask, response and department (every word must match).',
    ),
  department: z
    .enum(DEPARTMENT_SLUGS as [string, ...string[]], {
      error: `must be one of ${DEPARTMENT_SLUGS.join(', ')}`,
    })
    .optional(),
  outcome: z
    .enum(OPEN_OUTCOMES, { error: `must be one of ${OPEN_OUTCOMES.join(', ')}` })
    .optional(),
  year: z.coerce
    .number({ error: 'must be a year such as 2026' })
    .int('must be a year such as 2026')
    .min(2000, 'must be a year such as 2026')
    .max(2100, 'must be a year such as 2026')
    .optional()
    .describe('The year the ask was submitted.'),
});
export type OpenRegisterQuery = z.output<typeof openRegisterQuerySchema>;

const instant = z.iso.datetime();
const when = instant.nullable();

/** A public record as JSON: what the register shows of an ask (a preview, too). */
export const publicRecordResource = z.strictObject({
  reference: z.string(),
  title: z.string(),
  department: z.string(),
  departmentName: z.string(),
  ask: z.string(),
  status: z.enum(ASK_STATUSES),
  outcome: z.enum(ASK_OUTCOMES).nullable(),
  response: z.string().nullable(),
  submittedAt: when,
  responseDueAt: when,
  respondedAt: when,
  chasers: z.int().min(0),
  evidence: z.strictObject({
    barriers: z.int().min(0),
    localities: z.array(z.string()),
    neighbourhoods: z.int().min(0),
    peopleAffected: z.int().min(0),
    deadlinesMissed: z.int().min(0),
    longestOpenWorkingDays: z.int().min(0),
  }),
  version: z.int().min(1).describe('The event of the ask’s history the record was made at.'),
});

/** One published ask in the register's JSON. */
export const openAskResource = publicRecordResource.extend({
  firstPublishedAt: instant,
  publishedAt: instant,
  url: z.string().describe('Its page on the open register.'),
  evidencePack: z.strictObject({ docx: z.string(), pdf: z.string() }),
});

/** A public record's JSON fields (no evidence pack, no filter year). */
export function publicRecordJson(r: PublicAsk): z.output<typeof publicRecordResource> {
  const { pack: _pack, year: _year, publishedAt: _at, ...rest } = r;
  return {
    ...rest,
    status: rest.status as z.output<typeof publicRecordResource>['status'],
    outcome: rest.outcome as z.output<typeof publicRecordResource>['outcome'],
  };
}

/** The register's JSON. */
export const openRegisterResource = z.strictObject({
  licence: z.strictObject({ name: z.string(), url: z.string() }),
  publisher: z.string(),
  lastModified: when,
  items: z.array(openAskResource),
});
export type OpenRegisterJson = z.output<typeof openRegisterResource>;

const PUBLISHER = 'Greater Manchester Combined Authority';

const pageUrl = (base: string, reference: string) => `${base}/open/asks/${reference}`;

/** Where a published ask's page is. */
export const openAskUrl = pageUrl;

function openAskJson(p: Publication, base: string): z.output<typeof openAskResource> {
  const url = pageUrl(base, p.record.reference);
  return {
    ...publicRecordJson(p.record),
    firstPublishedAt: p.firstPublishedAt.toISOString(),
    publishedAt: p.record.publishedAt,
    url,
    evidencePack: { docx: `${url}/evidence-pack.docx`, pdf: `${url}/evidence-pack.pdf` },
  };
}

/** The register (its filtered items) as JSON. */
export function openRegisterJson(register: OpenRegister, base: string): OpenRegisterJson {
  return {
    licence: { ...OPEN_LICENCE },
    publisher: PUBLISHER,
    lastModified: register.lastModified?.toISOString() ?? null,
    items: register.items.map((p) => openAskJson(p, base)),
  };
}

/** The status and outcome in words: "Answered: partially agreed". */
export const publicStatus = (r: Pick<PublicAsk, 'status' | 'outcome'>) =>
  r.outcome
    ? `${sentence(askStatusName(r.status))}: ${outcomeName(r.outcome)}`
    : sentence(askStatusName(r.status));

/** The register (its filtered items) as CSV, for a spreadsheet. */
export function openRegisterCsv(register: OpenRegister, base: string): string {
  const header = [
    'Reference',
    'Title',
    'Department',
    'Status',
    'Outcome',
    'Submitted',
    'Response due',
    'Answered',
    'Chasers sent',
    'Localities',
    'Barriers',
    'People affected',
    'Deadlines missed',
    'Longest open (working days)',
    'The ask',
    'Response',
    'Published',
    'Page',
    'Licence',
  ];
  const rows = register.items.map(({ record: r, publishedAt }) => [
    r.reference,
    r.title,
    r.departmentName,
    sentence(askStatusName(r.status)),
    r.outcome ? sentence(outcomeName(r.outcome)) : '',
    formatDate(r.submittedAt),
    formatDate(r.responseDueAt),
    formatDate(r.respondedAt),
    r.chasers,
    r.evidence.localities.map(localityName).join('; '),
    r.evidence.barriers,
    r.evidence.peopleAffected,
    r.evidence.deadlinesMissed,
    r.evidence.longestOpenWorkingDays,
    r.ask,
    r.response ?? '',
    formatDate(publishedAt),
    pageUrl(base, r.reference),
    LICENCE_STATEMENT,
  ]);
  return toCsv(header, rows);
}

/** The Atom feed: one entry for each publication of a published ask, newest first. */
export function openRegisterAtom(register: OpenRegister, base: string): string {
  const feed = new Feed({
    title: 'Golden Thread: Greater Manchester’s Whitehall asks',
    description:
      'Formal asks Greater Manchester has made of central government to remove barriers to integrated public services, and the answers.',
    id: `${base}/open`,
    link: `${base}/open`,
    language: 'en-GB',
    updated: register.lastModified ?? new Date(0),
    copyright: LICENCE_STATEMENT,
    feedLinks: { atom: `${base}/open/asks.atom` },
    author: { name: PUBLISHER },
  });
  // Each act keeps its place in the history (only ever appended to): its entry's id.
  const entries = register.all.flatMap((p) =>
    p.history.flatMap((h, i) => (h.type === 'withdrawn' ? [] : [{ p, h, n: i + 1 }])),
  );
  entries.sort((a, b) => b.h.at.getTime() - a.h.at.getTime());
  for (const { p, h, n } of entries) {
    const r = p.record;
    const url = pageUrl(base, r.reference);
    const what = h.outcome
      ? `Answered (${outcomeName(h.outcome)})`
      : h.type === 'published'
        ? 'Published'
        : `Updated: ${askStatusName(h.status)}`;
    feed.addItem({
      title: `${what}: ${r.reference} ${r.title}`,
      id: `${url}#publication-${n}`,
      link: url,
      date: h.at,
      published: p.firstPublishedAt,
      description: `${r.departmentName}. ${publicStatus({ status: h.status, outcome: h.outcome })}. ${r.ask}`,
    });
  }
  return feed.atom1();
}
