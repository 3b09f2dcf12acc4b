/**
 * An ask's evidence pack as words and numbers, before any document format:
 * the ask, why it matters, the figures (one table's numbers, which the chart
 * draws too), the cases, their escalation history and the chasers. Pure: the
 * same ask at the same moment gives the same pack, which says when it was
 * produced and from which version of the ask.
 */
import {
  askChasers,
  type AskEvidenceDetail,
  type BarrierEvidence,
  type EvidenceEvent,
} from '../../domain/ask/evidence.ts';
import {
  affectedPlaceNames,
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
  missedDeadlineInWords,
  outcomeName,
  placeName,
  plural,
  sentence,
  stageName,
  stageTimesInWords,
  statusName,
  whyItMattersInWords,
} from '../../domain/format/index.ts';
import type { AskDoc } from '../read-model.ts';

/** The language every pack is written in (a document's language, for screen readers). */
export const PACK_LANGUAGE = 'en-GB';

/** A fact: "Department", "Ministry of Housing, Communities and Local Government". */
export interface PackFact {
  key: string;
  value: string;
}

/** Something that happened, when. */
export interface PackEntry {
  when: string;
  what: string;
}

/** One bundled barrier: a case the department reads. */
export interface PackCase {
  reference: string;
  heading: string;
  description: string;
  facts: PackFact[];
  /** Each deadline it (or a barrier merged into it) missed, in words. */
  deadlinesMissed: string[];
  /** Raised, escalations, missed deadlines, triage and promotion, oldest first. */
  history: PackEntry[];
}

/** People affected by locality: the table's rows, which the chart draws. */
export interface PackFigures {
  caption: string;
  head: [string, string, string];
  rows: { locality: string; barriers: number; people: number }[];
  total: { barriers: number; people: number };
  /** Barriers that do not say how many people they affect, in words; "" when all do. */
  note: string;
  chartTitle: string;
  /** The chart's alternative text: every bar's number, as the table has them. */
  chartAlt: string;
}

export interface AskPack {
  reference: string;
  /** The document's title (its metadata and first heading's caption). */
  documentTitle: string;
  heading: string;
  caption: string;
  language: typeof PACK_LANGUAGE;
  /** When and from which version of the ask, in words. */
  produced: string;
  producedAt: Date;
  /** The ask's last event sequence number: the version the pack was made from. */
  version: number;
  /** Without its extension: `ASK-0003-evidence-pack`. */
  filename: string;
  ask: string;
  summary: PackFact[];
  whyItMatters: string[];
  figures: PackFigures;
  cases: PackCase[];
  chasers: { summary: string; items: PackEntry[] };
  /** The ask's own history, oldest first. */
  history: PackEntry[];
}

type PackAsk = Pick<
  AskDoc,
  | 'reference'
  | 'title'
  | 'department'
  | 'ask'
  | 'status'
  | 'createdAt'
  | 'submittedAt'
  | 'dueAt'
  | 'chasers'
  | 'nextChaseAt'
  | 'outcome'
  | 'response'
  | 'respondedAt'
  | 'lastSeq'
> & { _id: string };

type PackEvent = EvidenceEvent;

/** What a pack is made from: the ask, its evidence and both kinds of history. */
export interface AskPackSources {
  ask: PackAsk;
  /** Worked out once (domain/ask/evidence.ts), as the ask's page shows it. */
  evidence: AskEvidenceDetail;
  /** The events of the bundled barriers and of those merged into them. */
  events: PackEvent[];
  /** The ask's own events. */
  askTimeline: PackEvent[];
}

const detail = (e: PackEvent, key: string): string => {
  const v = (e.details as Record<string, unknown> | null)?.[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
};

const byTime = (a: PackEvent, b: PackEvent) =>
  a.at.getTime() - b.at.getTime() || a.barrierId.localeCompare(b.barrierId) || a.seq - b.seq;

/** A breach event's deadline in words. */
const missedDeadline = (e: PackEvent): string =>
  missedDeadlineInWords({
    clock: detail(e, 'clock'),
    dueAt: Number(detail(e, 'dueAt')) || e.at.getTime(),
    stage: e.stage,
  });

/** A barrier's event in a department official's words; null for those a pack leaves out. */
function barrierEventWords(e: PackEvent, b: BarrierEvidence): string | null {
  const reason = detail(e, 'reason');
  const because = reason ? `: ${reason}` : '';
  switch (e.type) {
    case 'raised':
      return `Raised in ${placeName(b.locality, b.neighbourhood)}`;
    case 'imported':
      return `Imported from ${placeName(b.locality, b.neighbourhood)}'s records`;
    case 'escalated': {
      const how = (e.details as { automatic?: unknown } | null)?.automatic
        ? ' automatically, after a missed deadline'
        : because;
      return `Escalated from the ${stageName(detail(e, 'from'))} stage to the ${stageName(detail(e, 'to'))} stage${how}`;
    }
    case 'breached':
      return `Missed its deadline: ${missedDeadline(e).replace(/^To/, 'to')}`;
    case 'returned':
      return `Returned by GMCA to the locality${because}`;
    case 'triaged':
      return 'Accepted by GMCA';
    case 'merged':
      return detail(e, 'direction') === 'from'
        ? `${detail(e, 'fromReference') || detail(e, 'from')} (a duplicate) merged into it`
        : `Merged into ${detail(e, 'into')}`;
    case 'promoted':
      return `Promoted to Whitehall ask ${detail(e, 'askId')}`;
    case 'removed-from-ask':
    case 'reopened':
    case 'resolved':
    case 'withdrawn':
      return sentence(eventName(e.type)) + because;
    default:
      return null;
  }
}

function figuresOf(evidence: AskEvidenceDetail): PackFigures {
  const rows = evidence.localities
    .filter((l) => l.barriers > 0)
    .map((l) => ({ locality: localityName(l.locality), barriers: l.barriers, people: l.people }))
    .sort((a, b) => b.people - a.people || a.locality.localeCompare(b.locality));
  const unknown = evidence.peopleUnknown;
  const total = {
    barriers: rows.reduce((n, r) => n + r.barriers, 0),
    people: evidence.peopleAffected,
  };
  return {
    caption: 'People affected by locality',
    head: ['Locality', 'Barriers', 'People affected'],
    rows,
    total,
    note:
      unknown === 0
        ? ''
        : `${countOf(unknown, 'barrier does', 'barriers do')} not say how many people ${unknown === 1 ? 'it affects' : 'they affect'}: counted as none.`,
    chartTitle: 'Chart: people affected by locality',
    chartAlt:
      rows.length === 0
        ? 'Bar chart of people affected by locality: no barriers.'
        : `Bar chart of people affected by locality: ${rows
            .map((r) => `${r.locality} ${r.people}`)
            .join(', ')}; ${total.people} in all. The table that follows gives the same numbers.`,
  };
}

function caseOf(b: BarrierEvidence, sources: AskPackSources): PackCase {
  const own = sources.events.filter((e) => e.barrierId === b.id).sort(byTime);
  return {
    reference: b.reference,
    heading: `${b.reference}: ${b.title}`,
    description: b.description,
    facts: [
      { key: 'Where', value: placeName(b.locality, b.neighbourhood) },
      { key: 'Category', value: sentence(categoryName(b.category)) },
      ...(b.focusArea ? [{ key: 'Focus area', value: sentence(focusAreaName(b.focusArea)) }] : []),
      {
        key: 'People affected',
        value: b.peopleAffected === null ? 'Not known' : String(b.peopleAffected),
      },
      {
        key: 'Status',
        value: `${sentence(statusName(b.status))}, at the ${stageName(b.stage)} stage`,
      },
      { key: 'Raised', value: formatDate(b.raisedAt) },
      { key: b.closedAt ? 'Was open for' : 'Open for', value: formatSpan(b.openForMs, b.calendar) },
      { key: 'Time at each stage', value: sentence(stageTimesInWords(b.stages, b.calendar)) },
      { key: 'Deadlines missed', value: String(b.missed.length) },
    ],
    deadlinesMissed: b.missed.map(
      (m) =>
        missedDeadlineInWords(m) +
        (m.barrierId === b.id ? '' : ` – by ${m.barrierId}, since merged into it`),
    ),
    history: own.flatMap((e) => {
      const what = barrierEventWords(e, b);
      return what === null ? [] : [{ when: formatDateTime(e.at), what }];
    }),
  };
}

function chasersOf(
  a: PackAsk,
  askEvents: readonly PackEvent[],
  departmentFull: string,
): AskPack['chasers'] {
  const chased = askChasers(askEvents);
  const items = chased.map((c) => ({ when: formatDateTime(c.at), what: chaserInWords(c) }));
  if (!a.submittedAt)
    return { summary: 'The ask has not been submitted yet, so no chaser has been sent.', items };
  const parts = [
    `Submitted to the ${departmentFull} on ${formatDate(a.submittedAt)}; a response was due by ${formatDate(a.dueAt)}.`,
    chased.length === 0 ? 'No chaser has been sent.' : `${plural(chased.length, 'chaser')} sent.`,
  ];
  if (a.status === 'submitted' && a.nextChaseAt)
    parts.push(`Without a response, the next chaser goes on ${formatDate(a.nextChaseAt)}.`);
  if (a.respondedAt)
    parts.push(
      `The department's answer was recorded on ${formatDate(a.respondedAt)}: ${outcomeName(a.outcome)}.`,
    );
  return { summary: parts.join(' '), items };
}

/** The evidence pack of an ask, as at `now`. */
export function buildAskPack(sources: AskPackSources, now: number): AskPack {
  const { ask: a, evidence } = sources;
  const departmentFull = departmentName(a.department);
  const cases = evidence.barriers.map((b) => caseOf(b, sources));
  const askEvents = sources.askTimeline.filter((e) => e.seq <= a.lastSeq).sort(byTime);
  const lastChange = askEvents.at(-1)?.at ?? a.createdAt;
  return {
    reference: a.reference,
    documentTitle: `${a.reference} evidence pack: ${a.title}`,
    heading: a.title,
    caption: `Evidence pack for ${a.reference}, a Whitehall ask of the ${departmentFull}`,
    language: PACK_LANGUAGE,
    produced: `Produced by Golden Thread on ${formatDateTime(now)} from ${a.reference} as it stood after event ${a.lastSeq} of its history (last changed on ${formatDateTime(lastChange)}).`,
    producedAt: new Date(now),
    version: a.lastSeq,
    filename: `${a.reference}-evidence-pack`,
    ask: a.ask,
    summary: [
      { key: 'Department', value: departmentFull },
      { key: 'Status', value: sentence(askStatusName(a.status)) },
      ...(a.outcome ? [{ key: 'Outcome', value: sentence(outcomeName(a.outcome)) }] : []),
      ...(a.response ? [{ key: 'Response', value: a.response }] : []),
      {
        key: 'Submitted',
        value: a.submittedAt ? formatDate(a.submittedAt) : 'Not submitted yet',
      },
      ...(a.dueAt ? [{ key: 'Response due', value: formatDate(a.dueAt) }] : []),
      { key: 'Localities', value: listInWords(affectedPlaceNames(evidence)) || 'None' },
      { key: 'People affected', value: String(evidence.peopleAffected) },
      { key: 'Deadlines missed along the way', value: String(evidence.breaches) },
      {
        key: 'Chasers sent',
        value: String(askChasers(askEvents).length),
      },
    ],
    whyItMatters: whyItMattersInWords(evidence),
    figures: figuresOf(evidence),
    cases,
    chasers: chasersOf(a, askEvents, departmentFull),
    history: askEvents.flatMap((e) => {
      const what = askEventInWords(e, departmentFull);
      return what === null ? [] : [{ when: formatDateTime(e.at), what }];
    }),
  };
}
