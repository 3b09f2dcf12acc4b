/**
 * A Whitehall ask as the read model holds it, with its barriers and both kinds
 * of history, for the evidence pack's tests: three barriers in two localities
 * (one not saying how many people it affects, one with a duplicate merged
 * into it), missed deadlines, escalations, and two chasers.
 */
import type { AskPackSources } from '../../services/evidence-pack/ask-pack.ts';
import { buildAskPack } from '../../services/evidence-pack/ask-pack.ts';
import { askEvidence, evidenceSummary } from '../../domain/ask/evidence.ts';
import { publicAskOf, type PublicAsk } from '../../services/open-register/public-ask.ts';
import type { Publication } from '../../services/open-register/register.ts';

/** When the pack is produced: 7 December 2026 at 1:20pm. */
export const PACK_NOW = Date.parse('2026-12-07T13:20:00Z');

const at = (iso: string) => new Date(iso);

function barrier(
  id: string,
  over: {
    title: string;
    description: string;
    locality: string;
    neighbourhood: string;
    category: string;
    peopleAffected: number | null;
    raisedAt: string;
    status?: string;
    stage?: string;
    closedAt?: string;
    mergedFrom?: string[];
    lastSeq: number;
  },
) {
  return {
    _id: id,
    reference: id,
    ...over,
    status: over.status ?? 'open',
    stage: over.stage ?? 'whitehall',
    raisedAt: at(over.raisedAt),
    closedAt: over.closedAt ? at(over.closedAt) : null,
    mergedFrom: over.mergedFrom ?? [],
    sla: { calendar: 'working-hours-england-and-wales' },
  };
}

const barriers = [
  barrier('GT-0007', {
    title: 'Joint caseload blocked by data sharing rules',
    description:
      'Health visitors and housing officers in Leigh cannot see one another’s caseload, so families tell their story four times.',
    locality: 'wigan',
    neighbourhood: 'leigh',
    category: 'data-sharing',
    peopleAffected: 120,
    raisedAt: '2026-10-01T09:00:00Z',
    lastSeq: 6,
  }),
  barrier('GT-0011', {
    title: 'Pooled budget refused for family hubs',
    description: 'The family hub cannot pool the start-for-life grant with the council’s budget.',
    locality: 'bolton',
    neighbourhood: 'farnworth-and-kearsley',
    category: 'funding',
    peopleAffected: 300,
    raisedAt: '2026-10-05T10:00:00Z',
    mergedFrom: ['GT-0013'],
    lastSeq: 5,
  }),
  barrier('GT-0012', {
    title: 'Universal Credit data not shared with the council',
    description: 'The council cannot learn who has lost Universal Credit until rent arrears show.',
    locality: 'wigan',
    neighbourhood: 'wigan-central',
    category: 'data-sharing',
    peopleAffected: null,
    raisedAt: '2026-10-20T11:00:00Z',
    lastSeq: 3,
  }),
  barrier('GT-0013', {
    title: 'Family hub grant cannot be pooled',
    description: 'A duplicate of GT-0011.',
    locality: 'bolton',
    neighbourhood: 'bolton-central',
    category: 'funding',
    peopleAffected: 40,
    raisedAt: '2026-10-06T10:00:00Z',
    status: 'merged',
    stage: 'locality',
    closedAt: '2026-10-21T10:00:00Z',
    lastSeq: 3,
  }),
];

let seqs = new Map<string, number>();
function event(barrierId: string, iso: string, type: string, stage: string, details = {}) {
  const seq = (seqs.get(barrierId) ?? 0) + 1;
  seqs.set(barrierId, seq);
  return { barrierId, seq, at: at(iso), type, stage, actor: 'system', details };
}

const events = [
  event('GT-0007', '2026-10-01T09:00:00Z', 'raised', 'neighbourhood'),
  event('GT-0007', '2026-10-08T16:00:00Z', 'breached', 'neighbourhood', {
    clock: 'resolve',
    dueAt: Date.parse('2026-10-08T16:00:00Z'),
  }),
  event('GT-0007', '2026-10-08T16:00:00Z', 'escalated', 'locality', {
    from: 'neighbourhood',
    to: 'locality',
    automatic: true,
  }),
  event('GT-0007', '2026-10-22T09:30:00Z', 'escalated', 'gmca', {
    from: 'locality',
    to: 'gmca',
    automatic: false,
    reason: 'Needs a change to the Digital Economy Act regulations',
  }),
  event('GT-0007', '2026-10-23T10:00:00Z', 'comment', 'gmca', { text: 'Private note' }),
  event('GT-0007', '2026-11-02T10:00:00Z', 'promoted', 'whitehall', { askId: 'ASK-0003' }),
  event('GT-0011', '2026-10-05T10:00:00Z', 'raised', 'neighbourhood'),
  event('GT-0011', '2026-10-12T10:00:00Z', 'escalated', 'locality', {
    from: 'neighbourhood',
    to: 'locality',
    automatic: false,
    reason: 'Only the council can decide',
  }),
  event('GT-0011', '2026-10-21T10:00:00Z', 'merged', 'locality', {
    direction: 'from',
    from: 'GT-0013',
    fromReference: 'GT-0013',
  }),
  event('GT-0011', '2026-10-26T10:00:00Z', 'escalated', 'gmca', {
    from: 'locality',
    to: 'gmca',
    automatic: false,
    reason: 'A national grant condition',
  }),
  event('GT-0011', '2026-11-02T10:05:00Z', 'promoted', 'whitehall', { askId: 'ASK-0003' }),
  event('GT-0012', '2026-10-20T11:00:00Z', 'raised', 'neighbourhood'),
  event('GT-0012', '2026-10-27T11:00:00Z', 'escalated', 'gmca', {
    from: 'neighbourhood',
    to: 'gmca',
    automatic: false,
    reason: 'DWP holds the data',
  }),
  event('GT-0012', '2026-11-02T10:10:00Z', 'promoted', 'whitehall', { askId: 'ASK-0003' }),
  event('GT-0013', '2026-10-06T10:00:00Z', 'raised', 'neighbourhood'),
  event('GT-0013', '2026-10-13T16:00:00Z', 'breached', 'neighbourhood', {
    clock: 'acknowledge',
    dueAt: Date.parse('2026-10-13T16:00:00Z'),
  }),
  event('GT-0013', '2026-10-21T10:00:00Z', 'merged', 'locality', {
    direction: 'into',
    into: 'GT-0011',
  }),
];

const askTimeline = (() => {
  seqs = new Map();
  return [
    event('ASK-0003', '2026-11-02T10:00:00Z', 'created', 'whitehall'),
    event('ASK-0003', '2026-11-02T10:05:00Z', 'barrier-added', 'whitehall', {
      barrierId: 'GT-0011',
    }),
    event('ASK-0003', '2026-11-02T10:10:00Z', 'barrier-added', 'whitehall', {
      barrierId: 'GT-0012',
    }),
    event('ASK-0003', '2026-11-03T10:00:00Z', 'ask-submitted', 'whitehall', {
      dueAt: Date.parse('2026-12-01T17:00:00Z'),
    }),
    event('ASK-0003', '2026-12-01T17:00:00Z', 'ask-chased', 'whitehall', {
      automatic: true,
      chaser: 1,
    }),
    event('ASK-0003', '2026-12-03T10:00:00Z', 'ask-chased', 'whitehall', {
      automatic: false,
      note: 'Raised with the minister’s private office',
    }),
  ];
})();

const ask = {
  _id: 'ASK-0003',
  reference: 'ASK-0003',
  title: 'Let councils see Universal Credit and health visiting caseloads',
  department: 'dwp',
  ask: 'Lay regulations under the Digital Economy Act 2017 so that councils may share caseload data with health visitors and DWP.',
  status: 'submitted',
  barrierIds: ['GT-0007', 'GT-0011', 'GT-0012'],
  createdAt: at('2026-11-02T10:00:00Z'),
  submittedAt: at('2026-11-03T10:00:00Z'),
  dueAt: at('2026-12-01T17:00:00Z'),
  chasers: 1,
  nextChaseAt: at('2026-12-08T17:00:00Z'),
  outcome: null,
  response: null,
  respondedAt: null,
  lastSeq: 6,
};

/** The sources of ASK-0003's pack, as the service reads them. */
export function packSources(): AskPackSources {
  const bundled = ask.barrierIds;
  const evidence = askEvidence(
    {
      barrierIds: bundled,
      barriers: barriers.filter((b) => bundled.includes(b._id)),
      merged: barriers.filter((b) => b._id === 'GT-0013'),
      events,
    },
    PACK_NOW,
  );
  return { ask, evidence, events, askTimeline };
}

/**
 * The read model holding ASK-0003, its barriers and their events, as far as
 * the pack reads it (point reads of barriers, timelines by subject); `reads`
 * counts the queries.
 */
export function packModels() {
  const sources = packSources();
  const reads = { barriers: 0, timelines: 0 };
  const events = [...sources.events, ...sources.askTimeline];
  const models = {
    Barrier: {
      findOne: ({ _id }: { _id: string }) => ({
        lean: () => ({
          exec: () => {
            reads.barriers += 1;
            return Promise.resolve(barriers.find((b) => b._id === _id) ?? null);
          },
        }),
      }),
    },
    TimelineEvent: {
      find: ({ barrierId }: { barrierId: string }) => ({
        lean: () => {
          reads.timelines += 1;
          return Promise.resolve(events.filter((e) => e.barrierId === barrierId));
        },
      }),
    },
  };
  return { models: models as never, reads, ask: ask as never };
}

/** ASK-0003's pack as at {@link PACK_NOW}. */
export const fixturePack = () => buildAskPack(packSources(), PACK_NOW);

/**
 * ASK-0003 as the ask's page reads it (services.asks.withEvidence): the
 * stored ask, its evidence as at {@link PACK_NOW}, its barriers' events and
 * its own history. `over` changes the stored ask.
 */
export function askPageSources(over: Record<string, unknown> = {}) {
  const { ask: a, evidence, events, askTimeline } = packSources();
  return {
    ask: {
      ...a,
      createdBy: 'tom.triage@example.org',
      owner: { email: 'tom.triage@example.org', name: 'Tom Triage' },
      calendar: 'working-hours-england-and-wales',
      evidence: null,
      projectedAt: new Date(PACK_NOW),
      ...over,
    },
    evidence,
    events,
    timeline: askTimeline,
  };
}

/** ASK-0003's public record, published at {@link PACK_NOW}. */
export function fixturePublicAsk(over: Partial<PublicAsk> = {}): PublicAsk {
  const sources = packSources();
  return {
    ...publicAskOf(sources.ask, evidenceSummary(sources.evidence), fixturePack(), PACK_NOW),
    ...over,
  };
}

/** ASK-0003 on the open register: published at {@link PACK_NOW}. */
export function fixturePublication(over: Partial<Publication> = {}): Publication {
  const record = fixturePublicAsk();
  const at = new Date(PACK_NOW);
  return {
    askId: 'ASK-0003',
    status: 'published',
    version: record.version,
    firstPublishedAt: at,
    publishedAt: at,
    withdrawnAt: null,
    record,
    history: [
      {
        type: 'published',
        at,
        by: 'tom.triage@example.org',
        version: record.version,
        status: record.status,
        outcome: record.outcome,
      },
    ],
    ...over,
  };
}
