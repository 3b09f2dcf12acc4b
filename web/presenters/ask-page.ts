/**
 * A Whitehall ask's page: its facts as a summary list, the evidence worked
 * out from its barriers (domain/ask/evidence.ts, as the evidence pack has it)
 * in tables a reader can compare, each barrier as a case in its locality's
 * words, and its history. Actions are ask-actions.ts's.
 */
import type { TimelineSource } from '../../domain/barrier/public-shape.ts';
import type { AskEvidenceDetail } from '../../domain/ask/evidence.ts';
import { askChasers } from '../../domain/ask/evidence.ts';
import {
  askEventInWords,
  askStatusName,
  categoryName,
  chaserInWords,
  countOf,
  departmentName,
  eventName,
  focusAreaName,
  formatDate,
  formatDateTime,
  formatSpan,
  listInWords,
  localityName,
  machineTime,
  missedDeadlineInWords,
  neighbourhoodName,
  outcomeName,
  placeName,
  sentence,
  stageName,
  statusName,
  whyItMattersInWords,
} from '../../domain/format/index.ts';
import type { StoredAsk } from '../../services/asks.ts';
import { barChart } from '../charts.ts';
import { timeLeft } from '../format.ts';
import { ASK_TAG } from './asks.ts';

/** The ask as its page reads it: the stored ask, its evidence and its own history. */
export interface AskPageSources {
  ask: StoredAsk;
  evidence: AskEvidenceDetail;
  timeline: readonly TimelineSource[];
}

/** A summary-list row: one line of text, several lines, or paragraphs of someone's writing. */
export interface FactRow {
  key: string;
  text?: string;
  lines?: string[];
  paragraphs?: string[];
}

/** Text people typed, as paragraphs: a blank line starts a new one; single line breaks stay. */
export const paragraphs = (text: string | null | undefined): string[] =>
  (text ?? '')
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

/** The people an ask's page names: whoever drafted it and whoever acted on its history. */
export const peopleOnAskPage = ({ ask, timeline }: Pick<AskPageSources, 'ask' | 'timeline'>) => [
  ...new Set([ask.createdBy, ...timeline.map((e) => e.actor)]),
];

function responseDue(a: StoredAsk, now: number): string {
  if (!a.dueAt) return a.status === 'withdrawn' ? 'Never submitted' : 'Not submitted yet';
  const due = formatDateTime(a.dueAt);
  if (a.status !== 'submitted') return due;
  return `${due} (${timeLeft(a.dueAt, a.calendar, now)})`;
}

function chaserLines(a: StoredAsk, sources: AskPageSources): string[] {
  const chasers = askChasers(sources.timeline).map(
    (c) => `${formatDateTime(c.at)}: ${chaserInWords(c)}`,
  );
  const next =
    a.status === 'submitted' && a.nextChaseAt
      ? [
          `If no response comes, Golden Thread sends ${chasers.length ? 'another' : 'a'} chaser on ${formatDate(a.nextChaseAt)}`,
        ]
      : [];
  if (chasers.length === 0 && !a.submittedAt) return ['None: the ask is not submitted yet'];
  return [...(chasers.length ? chasers : ['None sent yet']), ...next];
}

function outcomeText(a: StoredAsk): string {
  if (!a.outcome) return a.status === 'withdrawn' ? 'None: withdrawn' : 'Not answered yet';
  const outcome = sentence(outcomeName(a.outcome));
  return a.outcome === 'no-response'
    ? `${outcome}: recorded by Golden Thread when the last chaser went unanswered`
    : outcome;
}

/**
 * The ask's facts, as its summary list shows them. Dates in full, never
 * "today": the page is printed and forwarded.
 */
function facts(a: StoredAsk, sources: AskPageSources, now: number, who: (e: string) => string) {
  const rows: FactRow[] = [
    { key: 'Department', text: departmentName(a.department) },
    { key: 'Status', text: sentence(askStatusName(a.status)) },
    {
      key: 'Drafted',
      text: `${formatDateTime(a.createdAt)} by ${who(a.createdBy)}`,
    },
    {
      key: 'Submitted',
      text: a.submittedAt ? formatDateTime(a.submittedAt) : 'Not submitted yet',
    },
    { key: 'Response due', text: responseDue(a, now) },
    { key: 'Chasers', lines: chaserLines(a, sources) },
    { key: 'Outcome', text: outcomeText(a) },
  ];
  if (a.respondedAt) rows.push({ key: 'Answered', text: formatDateTime(a.respondedAt) });
  if (a.response)
    rows.push({ key: 'The department’s response', paragraphs: paragraphs(a.response) });
  return rows;
}

/** All ten localities: the affected marked, with their neighbourhoods, barriers and people. */
function localitiesTable(evidence: AskEvidenceDetail) {
  const affected = evidence.localities.filter((l) => l.affected);
  const neighbourhoods = affected.reduce((n, l) => n + l.neighbourhoods.length, 0);
  const people = (n: number, unknown: number) =>
    unknown ? `${n} (${countOf(unknown, 'barrier does', 'barriers do')} not say)` : String(n);
  return {
    caption: `Where the barriers are: ${affected.length} of Greater Manchester’s 10 localities`,
    head: ['Locality', 'Affected', 'Neighbourhoods', 'Barriers', 'People affected'],
    rows: [
      // A locality not affected says so once; its other cells stay empty (and go on a phone).
      ...evidence.localities.map((l) =>
        l.affected
          ? [
              { text: localityName(l.locality) },
              { text: '', tags: [{ text: 'Yes', classes: 'govuk-tag--blue' }] },
              { text: listInWords(l.neighbourhoods.map((n) => neighbourhoodName(l.locality, n))) },
              { text: String(l.barriers) },
              {
                text: l.barriers
                  ? people(l.people, l.unknown)
                  : 'Counted where its duplicate was merged',
              },
            ]
          : [
              { text: localityName(l.locality) },
              { text: 'No' },
              { text: '' },
              { text: '' },
              { text: '' },
            ],
      ),
      [
        { text: 'Greater Manchester' },
        { text: `${affected.length} of 10` },
        { text: countOf(neighbourhoods, 'neighbourhood') },
        { text: String(evidence.barriers.length) },
        { text: people(evidence.peopleAffected, evidence.peopleUnknown) },
      ],
    ],
  };
}

/** How long each barrier has waited: open for, time at each stage, the deadlines it missed. */
function waitingTable(evidence: AskEvidenceDetail) {
  return {
    caption: 'How long each barrier has waited',
    head: ['Barrier', 'Raised', 'Open for', 'Time at each stage', 'Deadlines missed'],
    rows: evidence.barriers.map((b) => [
      { text: b.id, href: `/barriers/${b.id}`, classes: 'gt-nowrap' },
      { text: formatDate(b.raisedAt) },
      {
        text: `${formatSpan(b.openForMs, b.calendar)}${b.closedAt ? ` (${statusName(b.status)})` : ''}`,
      },
      {
        lines: b.stages.map(
          (s) => `${sentence(stageName(s.stage))}: ${formatSpan(s.ms, b.calendar)}`,
        ),
      },
      b.missed.length
        ? {
            lines: b.missed.map(
              (m) =>
                missedDeadlineInWords(m) +
                (m.barrierId === b.id ? '' : ` – by ${m.barrierId}, since merged into it`),
            ),
          }
        : { text: 'None' },
    ]),
  };
}

const outcomeOf = (details: unknown): string => {
  const o = (details as { outcome?: unknown } | null | undefined)?.outcome;
  return typeof o === 'string' ? o : '';
};

const tallyInWords = (
  tally: AskEvidenceDetail['categories'],
  name: (v: string) => string,
  none: string,
) =>
  tally.length
    ? tally.map((t) => `${sentence(name(t.value))}: ${countOf(t.barriers, 'barrier')}`)
    : [none];

/** An ask's page as at `now`; `names` gives the directory's names by email. */
export function askPageView(
  sources: AskPageSources,
  now: number,
  names: Readonly<Record<string, string>> = {},
) {
  const { ask: a, evidence } = sources;
  const who = (email: string) =>
    email === 'system' ? 'Golden Thread' : Object.hasOwn(names, email) ? names[email]! : email;
  const chartBars = evidence.localities.map((l) => ({
    label: localityName(l.locality),
    value: l.people,
    display: String(l.people),
  }));
  return {
    title: `${a._id}: ${a.title}`,
    heading: a.title,
    caption: `${a._id} · a Whitehall ask of the ${departmentName(a.department)}`,
    id: a._id,
    tags: [
      { text: sentence(askStatusName(a.status)), classes: ASK_TAG[a.status] ?? '' },
      ...(a.outcome
        ? [{ text: sentence(outcomeName(a.outcome)), classes: ASK_TAG[a.outcome] ?? '' }]
        : []),
    ],
    askText: paragraphs(a.ask),
    facts: facts(a, sources, now, who),
    evidence: {
      empty: evidence.barriers.length === 0,
      why: whyItMattersInWords(evidence),
      localities: localitiesTable(evidence),
      chart: barChart('people-by-locality', 'People affected by locality', chartBars, undefined, {
        labelWidth: 110,
        barWidth: 200,
      }),
      kinds: [
        {
          key: 'Categories',
          lines: tallyInWords(evidence.categories, categoryName, 'None given'),
        },
        {
          key: 'Focus areas',
          lines: tallyInWords(evidence.focusAreas, focusAreaName, 'None given'),
        },
      ] satisfies FactRow[],
      waiting: waitingTable(evidence),
      cases: evidence.barriers.map((b) => ({
        id: b.id,
        heading: `${b.id}: ${b.title}`,
        href: `/barriers/${b.id}`,
        where: placeName(b.locality, b.neighbourhood),
        quoteFrom: `In ${localityName(b.locality)}’s words`,
        paragraphs: paragraphs(b.description),
        facts: [
          { key: 'Where', text: placeName(b.locality, b.neighbourhood) },
          {
            key: 'Category',
            text:
              sentence(categoryName(b.category)) +
              (b.focusArea ? `; focus area: ${focusAreaName(b.focusArea)}` : ''),
          },
          {
            key: 'People affected',
            text: b.peopleAffected === null ? 'Not known' : String(b.peopleAffected),
          },
          {
            key: 'Status',
            text: `${sentence(statusName(b.status))}, at the ${stageName(b.stage)} stage`,
          },
          ...(b.mergedFrom.length
            ? [{ key: 'Duplicates merged into it', text: b.mergedFrom.join(', ') }]
            : []),
        ] satisfies FactRow[],
      })),
    },
    /** Items for MoJ Frontend's timeline, newest first. */
    timeline: [...sources.timeline].reverse().map((e) => ({
      label: { text: sentence(eventName(e.type)) },
      // The response is shown in full among the facts; the history says what was answered.
      text:
        e.type === 'ask-outcome'
          ? `Answered: ${sentence(outcomeName(outcomeOf(e.details)))}`
          : (askEventInWords(e, departmentName(a.department)) ?? ''),
      datetime: { timestamp: machineTime(e.at), type: 'datetime' },
      byline: { text: who(e.actor) },
    })),
    produced: `Worked out from the barriers on ${formatDateTime(now)}.`,
  };
}
