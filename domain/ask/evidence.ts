/**
 * An ask's evidence, worked out from its bundled barriers, the barriers merged
 * into them and their timelines: where they are (all ten localities, the ones
 * affected marked), the people they affect, how long each has been open and
 * how long it spent at each stage of the ladder, the deadlines missed on the
 * way, and their categories and focus areas. Numbers only, no words: the ask's
 * page and its evidence pack both say them from this one computation, and the
 * register keeps its summary ({@link evidenceSummary}).
 */
import { workingTimeBetween, type CalendarName } from '../calendar/working-time.ts';
import { LOCALITIES, STAGES, type Locality, type Stage } from '../reference-data.ts';

/** A barrier as the evidence reads it (a read-model document has these fields and more). */
export interface EvidenceBarrier {
  _id: string;
  reference: string;
  title: string;
  description: string;
  locality: string;
  neighbourhood: string;
  category: string;
  focusArea?: string | null;
  peopleAffected?: number | null;
  status: string;
  stage: string;
  raisedAt: Date;
  closedAt?: Date | null;
  mergedFrom?: string[] | null;
  sla: { calendar?: string | null };
}

/** An event of a barrier's timeline, as the evidence reads it. */
export interface EvidenceEvent {
  barrierId: string;
  seq: number;
  at: Date;
  type: string;
  /** The barrier's stage once the event happened. */
  stage: string;
  details?: unknown;
}

/** What an ask's evidence is worked out from. */
export interface EvidenceSources {
  /** The ask's barriers, in the ask's order. */
  barrierIds: string[];
  /** The bundled barriers that exist. */
  barriers: EvidenceBarrier[];
  /** The barriers merged into them. */
  merged: EvidenceBarrier[];
  /** The timelines of both. */
  events: EvidenceEvent[];
}

/** Working time a barrier spent at one stage, however many visits. */
export interface StageTime {
  stage: Stage;
  ms: number;
}

/** A deadline a barrier (or one merged into it) missed. */
export interface MissedDeadline {
  /** The barrier that missed it: the bundled one, or one since merged into it. */
  barrierId: string;
  stage: string;
  clock: string;
  /** When it was due (epoch ms). */
  dueAt: number;
}

/** One bundled barrier's evidence. */
export interface BarrierEvidence {
  id: string;
  reference: string;
  title: string;
  /** The barrier in its locality's own words. */
  description: string;
  locality: string;
  neighbourhood: string;
  category: string;
  focusArea: string | null;
  peopleAffected: number | null;
  status: string;
  stage: string;
  raisedAt: number;
  closedAt: number | null;
  calendar: CalendarName;
  /** Working time from raised to closed, or to now. */
  openForMs: number;
  /** Working time at each stage it reached, in the ladder's order. */
  stages: StageTime[];
  /** Oldest first. */
  missed: MissedDeadline[];
  mergedFrom: string[];
}

/** One of the ten localities, and what the ask's barriers say of it. */
export interface LocalityEvidence {
  locality: Locality;
  /** A bundled barrier, or one merged into it, is from here. */
  affected: boolean;
  /** Slugs of the neighbourhoods those barriers are from. */
  neighbourhoods: string[];
  /** Bundled barriers from here. */
  barriers: number;
  /** People those barriers affect (where they say). */
  people: number;
  /** Bundled barriers from here that do not say how many people they affect. */
  unknown: number;
}

/** How many bundled barriers have one value of a field. */
export interface Tally {
  value: string;
  barriers: number;
}

/** An ask's evidence in full. */
export interface AskEvidenceDetail {
  barriers: BarrierEvidence[];
  /** All ten localities, in the usual order. */
  localities: LocalityEvidence[];
  peopleAffected: number;
  /** Bundled barriers that do not say how many people they affect. */
  peopleUnknown: number;
  /** Deadlines missed by the bundled barriers and those merged into them. */
  breaches: number;
  /** Most barriers first. */
  categories: Tally[];
  focusAreas: Tally[];
}

/** The summary an ask keeps in the register and the API gives. */
export interface AskEvidence {
  /** Every locality sharing the barriers, merged ones included. */
  localities: string[];
  /** `locality/neighbourhood` of every barrier, merged ones included: who may see the ask. */
  neighbourhoods: string[];
  peopleAffected: number;
  breaches: number;
  barriers: {
    id: string;
    reference: string;
    title: string;
    locality: string;
    status: string;
    peopleAffected: number | null;
    /** Working time (in its policy's calendar) from raised to closed, or to now. */
    openForMs: number;
    breaches: number;
  }[];
}

const calendarOf = (b: EvidenceBarrier): CalendarName =>
  b.sla.calendar === '24x7' ? '24x7' : 'working-hours-england-and-wales';

const detail = (e: EvidenceEvent, key: string): unknown =>
  (e.details as Record<string, unknown> | null | undefined)?.[key];

const ms = (d: Date | null | undefined) => (d ? d.getTime() : null);

/** True for an event after which the barrier's clock stops: it is closed. */
const closes = (e: EvidenceEvent) =>
  e.type === 'resolved' ||
  e.type === 'withdrawn' ||
  e.type === 'closed' ||
  (e.type === 'merged' && detail(e, 'direction') === 'into');

/**
 * The stage a barrier is at after an event. The event records its stage once
 * it happened, except an answer from Whitehall: that is recorded before an
 * outcome other than `agreed` sends the barrier back to GMCA.
 */
const stageAfter = (e: EvidenceEvent): string =>
  e.type === 'ask-outcome' && detail(e, 'outcome') !== 'agreed' ? 'gmca' : e.stage;

/**
 * Working time a barrier spent at each stage, from its own timeline: a stage
 * starts when it is raised, escalated, returned, promoted, sent back from an
 * ask or reopened there, and ends with the next change of stage or when the
 * barrier closes; the current stage runs to `now`.
 */
export function stageTimes(
  own: readonly EvidenceEvent[],
  calendar: CalendarName,
  now: number,
): StageTime[] {
  const totals = new Map<string, number>();
  const add = (stage: string, from: number, to: number) =>
    totals.set(stage, (totals.get(stage) ?? 0) + workingTimeBetween(calendar, from, to));
  let at: { stage: string; since: number } | null = null;
  for (const e of [...own].sort((a, b) => a.seq - b.seq)) {
    const t = e.at.getTime();
    if (closes(e)) {
      if (at) add(at.stage, at.since, t);
      at = null;
    } else if (e.type === 'raised' || e.type === 'reopened' || at === null) {
      if (at) add(at.stage, at.since, t);
      at = { stage: stageAfter(e), since: t };
    } else if (stageAfter(e) !== at.stage) {
      add(at.stage, at.since, t);
      at = { stage: stageAfter(e), since: t };
    }
  }
  if (at) add(at.stage, at.since, Math.max(at.since, now));
  return STAGES.flatMap((stage) => {
    const total = totals.get(stage);
    return total === undefined ? [] : [{ stage, ms: total }];
  });
}

function tally(values: readonly (string | null | undefined)[]): Tally[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, barriers]) => ({ value, barriers }))
    .sort((a, b) => b.barriers - a.barriers || a.value.localeCompare(b.value));
}

/** An ask's evidence from what was read, as at `now`: no reads, so the page and the pack agree. */
export function askEvidence(sources: EvidenceSources, now: number): AskEvidenceDetail {
  const { barrierIds, barriers, merged, events } = sources;
  const eventsOf = (ids: readonly string[]) => events.filter((e) => ids.includes(e.barrierId));
  const rows = barrierIds.flatMap((id): BarrierEvidence[] => {
    const b = barriers.find((x) => x._id === id);
    if (!b) return [];
    const calendar = calendarOf(b);
    const mergedFrom = b.mergedFrom ?? [];
    return [
      {
        id: b._id,
        reference: b.reference,
        title: b.title,
        description: b.description,
        locality: b.locality,
        neighbourhood: b.neighbourhood,
        category: b.category,
        focusArea: b.focusArea ?? null,
        peopleAffected: b.peopleAffected ?? null,
        status: b.status,
        stage: b.stage,
        raisedAt: b.raisedAt.getTime(),
        closedAt: ms(b.closedAt),
        calendar,
        openForMs: workingTimeBetween(calendar, b.raisedAt.getTime(), ms(b.closedAt) ?? now),
        stages: stageTimes(eventsOf([b._id]), calendar, ms(b.closedAt) ?? now),
        missed: eventsOf([b._id, ...mergedFrom])
          .filter((e) => e.type === 'breached')
          .sort(
            (x, y) =>
              x.at.getTime() - y.at.getTime() ||
              x.barrierId.localeCompare(y.barrierId) ||
              x.seq - y.seq,
          )
          .map((e) => ({
            barrierId: e.barrierId,
            stage: e.stage,
            clock: typeof detail(e, 'clock') === 'string' ? (detail(e, 'clock') as string) : '',
            dueAt: Number(detail(e, 'dueAt')) || e.at.getTime(),
          })),
        mergedFrom,
      },
    ];
  });
  const everywhere: Pick<EvidenceBarrier, 'locality' | 'neighbourhood'>[] = [...rows, ...merged];
  return {
    barriers: rows,
    localities: LOCALITIES.map((locality) => {
      const mine = rows.filter((r) => r.locality === locality);
      return {
        locality,
        affected: everywhere.some((b) => b.locality === locality),
        neighbourhoods: [
          ...new Set(everywhere.filter((b) => b.locality === locality).map((b) => b.neighbourhood)),
        ].sort(),
        barriers: mine.length,
        people: mine.reduce((n, r) => n + (r.peopleAffected ?? 0), 0),
        unknown: mine.filter((r) => r.peopleAffected === null).length,
      };
    }),
    peopleAffected: rows.reduce((n, r) => n + (r.peopleAffected ?? 0), 0),
    peopleUnknown: rows.filter((r) => r.peopleAffected === null).length,
    breaches: rows.reduce((n, r) => n + r.missed.length, 0),
    categories: tally(rows.map((r) => r.category)),
    focusAreas: tally(rows.map((r) => r.focusArea)),
  };
}

/** The register's summary of an ask's evidence. */
export function evidenceSummary(detail: AskEvidenceDetail): AskEvidence {
  const affected = detail.localities.filter((l) => l.affected);
  return {
    localities: affected.map((l) => l.locality),
    neighbourhoods: affected
      .flatMap((l) => l.neighbourhoods.map((n) => `${l.locality}/${n}`))
      .sort(),
    peopleAffected: detail.peopleAffected,
    breaches: detail.breaches,
    barriers: detail.barriers.map((r) => ({
      id: r.id,
      reference: r.reference,
      title: r.title,
      locality: r.locality,
      status: r.status,
      peopleAffected: r.peopleAffected,
      openForMs: r.openForMs,
      breaches: r.missed.length,
    })),
  };
}

/** A chaser sent to the department: by Golden Thread when a response fell due, or by GMCA. */
export interface Chaser {
  at: number;
  automatic: boolean;
  /** The automatic chaser's number. */
  chaser: number | null;
  /** What GMCA noted when chasing by hand. */
  note: string | null;
}

/** The chasers an ask's timeline records, oldest first. */
export function askChasers(askTimeline: readonly EvidenceEvent[]): Chaser[] {
  return askTimeline
    .filter((e) => e.type === 'ask-chased')
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq)
    .map((e) => {
      const n = Number(detail(e, 'chaser'));
      const note = detail(e, 'note');
      return {
        at: e.at.getTime(),
        automatic: detail(e, 'automatic') === true,
        chaser: Number.isInteger(n) && n > 0 ? n : null,
        note: typeof note === 'string' && note !== '' ? note : null,
      };
    });
}
