/**
 * The public record of a Whitehall ask: exactly what the open register shows
 * of it, and nothing else. Made from the ask's evidence pack (which names no
 * person: no actor, owner or email is in it) and the evidence in aggregate.
 * Pure, so the preview GMCA reviews and the record published are one value.
 */
import { createHash } from 'node:crypto';
import { WORKING_DAY_MS } from '../../domain/calendar/working-time.ts';
import { departmentName } from '../../domain/format/index.ts';
import type { AskPack } from '../evidence-pack/ask-pack.ts';
import type { AskEvidence } from '../read-model.ts';

/** The licence of everything the open register publishes. */
export const OPEN_LICENCE = {
  name: 'Open Government Licence v3.0',
  url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
} as const;

/** One sentence stating the licence, for files and packs. */
export const LICENCE_STATEMENT = `Published by Greater Manchester Combined Authority under the ${OPEN_LICENCE.name}: ${OPEN_LICENCE.url}`;

/** The ask's fields a public record is made from (no owner, no creator, no barrier ids). */
export interface PublicSourceAsk {
  _id: string;
  reference: string;
  title: string;
  department: string;
  ask: string;
  status: string;
  createdAt: Date;
  submittedAt?: Date | null;
  dueAt?: Date | null;
  chasers: number;
  outcome?: string | null;
  response?: string | null;
  respondedAt?: Date | null;
  lastSeq: number;
}

/** An ask as the open register shows it. Times are ISO 8601 (UTC). */
export interface PublicAsk {
  reference: string;
  title: string;
  department: string;
  departmentName: string;
  ask: string;
  status: string;
  outcome: string | null;
  response: string | null;
  submittedAt: string | null;
  responseDueAt: string | null;
  respondedAt: string | null;
  chasers: number;
  /** The year it was submitted (or drafted), for the register's filter. */
  year: number;
  evidence: {
    barriers: number;
    /** Locality slugs, sorted. */
    localities: string[];
    neighbourhoods: number;
    peopleAffected: number;
    deadlinesMissed: number;
    /** The longest any of its barriers has been (or was) open, in working days. */
    longestOpenWorkingDays: number;
  };
  /** The ask's last event when the record was made. */
  version: number;
  /** When this record was published. */
  publishedAt: string;
  /** The evidence pack as published (its documents are rendered from it). */
  pack: AskPack;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The public record of `ask`, made at `at` from its pack and evidence. */
export function publicAskOf(
  ask: PublicSourceAsk,
  evidence: AskEvidence,
  pack: AskPack,
  at: number,
): PublicAsk {
  const longest = Math.max(0, ...evidence.barriers.map((b) => b.openForMs));
  return {
    reference: ask.reference,
    title: ask.title,
    department: ask.department,
    departmentName: departmentName(ask.department),
    ask: ask.ask,
    status: ask.status,
    outcome: ask.outcome ?? null,
    response: ask.response ?? null,
    submittedAt: iso(ask.submittedAt),
    responseDueAt: iso(ask.dueAt),
    respondedAt: iso(ask.respondedAt),
    chasers: ask.chasers,
    year: new Date(ask.submittedAt ?? ask.createdAt).getUTCFullYear(),
    evidence: {
      barriers: evidence.barriers.length,
      localities: [...evidence.localities],
      neighbourhoods: evidence.neighbourhoods.length,
      peopleAffected: evidence.peopleAffected,
      deadlinesMissed: evidence.breaches,
      longestOpenWorkingDays: Math.floor(longest / WORKING_DAY_MS),
    },
    version: ask.lastSeq,
    publishedAt: new Date(at).toISOString(),
    pack: { ...pack, produced: `${pack.produced} ${LICENCE_STATEMENT}.` },
  };
}

/**
 * What a person reviewed in a preview: every piece of text the record
 * publishes that someone typed or that an event wrote (the ask, the response,
 * each barrier's title, description and history, the chasers and the ask's
 * history) and the ask's version. Figures that grow with the clock (how long
 * a barrier has been open) are left out, so a preview read slowly still
 * publishes; a new event on the ask or any of its barriers changes the tag.
 */
export function reviewTag(r: PublicAsk): string {
  const { pack } = r;
  const text = [
    String(r.version),
    r.title,
    r.ask,
    r.response ?? '',
    ...pack.cases.flatMap((c) => [c.heading, c.description, ...c.history.map((h) => h.what)]),
    ...pack.chasers.items.map((i) => i.what),
    ...pack.history.map((h) => h.what),
  ];
  return createHash('sha256').update(text.join('\u0000')).digest('base64url').slice(0, 32);
}
