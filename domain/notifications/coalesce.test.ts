import { describe, expect, it } from 'vitest';
import {
  CATCH_UP_GRACE_MS,
  mostUrgentFirst,
  splitForEmails,
  outageBehind,
  stillWanted,
  summariseItems,
  type BarrierNow,
  type HeldFacts,
} from './coalesce.ts';

const item = (
  kind: HeldFacts['kind'],
  reference: string,
  details: Record<string, unknown> = {},
  at = 0,
) => ({
  kind,
  reference,
  event: { at, details },
});

describe('mostUrgentFirst', () => {
  it('puts missed deadlines first, then escalations, then deadlines near, then new work', () => {
    const ordered = mostUrgentFirst([
      item('assigned', 'GT-1'),
      item('warning', 'GT-2', { dueAt: 50 }),
      item('breached', 'GT-3', { dueAt: 20 }),
      item('escalated', 'GT-4'),
      item('breached', 'GT-5', { dueAt: 10 }),
    ]);
    expect(ordered.map((i) => i.reference)).toEqual(['GT-5', 'GT-3', 'GT-4', 'GT-2', 'GT-1']);
  });
});

describe('splitForEmails', () => {
  it('splits a long burst into emails of at most fifty, the most urgent in the first, the same way every time', () => {
    const items = Array.from({ length: 120 }, (_, i) => ({
      ...item(i % 3 === 0 ? 'breached' : 'assigned', `GT-${String(i).padStart(4, '0')}`, {
        dueAt: 1_000,
      }),
      key: `k${String(i).padStart(4, '0')}`,
    }));
    const emails = splitForEmails(items);
    expect(emails.map((e) => e.length)).toEqual([50, 50, 20]);
    expect(emails[0]!.slice(0, 40).every((i) => i.kind === 'breached')).toBe(true);
    expect(splitForEmails([...items].reverse())).toEqual(emails);
  });
});

describe('summariseItems', () => {
  it('counts each kind in words, most urgent first', () => {
    expect(
      summariseItems([
        item('escalated', 'a'),
        item('breached', 'b'),
        item('breached', 'c'),
        item('assigned', 'd'),
      ]),
    ).toBe('2 deadlines missed, 1 barrier escalated, 1 barrier assigned to you');
  });

  it("counts an ask's own news to its GMCA owner as asks, apart from barriers put to Whitehall", () => {
    const ask = (kind: HeldFacts['kind'], ref: string) => ({
      ...item(kind, ref),
      about: 'ask' as const,
    });
    expect(
      summariseItems([
        ask('ask-submitted', 'ASK-0001'),
        ask('ask-submitted', 'ASK-0002'),
        item('ask-submitted', 'GT-0003'),
        ask('ask-outcome', 'ASK-0004'),
        item('escalated', 'GT-0005'),
      ]),
    ).toBe(
      '1 barrier escalated, 1 Whitehall answer, 2 Whitehall asks submitted, 1 barrier put to Whitehall',
    );
  });
});

describe('outageBehind', () => {
  const outages = [
    { from: 100, to: 200 },
    { from: 500, to: 900 },
  ];
  const by = (at: number, bySystem = false) => ({ at, bySystem });
  it('finds the outage a cause fell in, and none for causes outside', () => {
    expect(outageBehind([by(50), by(600)], outages)).toEqual({ from: 500, to: 900 });
    expect(outageBehind([by(150)], outages)).toEqual({ from: 100, to: 200 });
    expect(outageBehind([by(300), by(1000)], outages)).toBeNull();
  });
  it("counts the system's own acts just after an outage (routing after a late escalation), not people's", () => {
    expect(outageBehind([by(950, true)], outages)).toEqual({ from: 500, to: 900 });
    expect(outageBehind([by(950, false)], outages)).toBeNull();
    expect(outageBehind([by(900 + CATCH_UP_GRACE_MS + 1, true)], outages)).toBeNull();
  });
});

describe('stillWanted', () => {
  const lead = 'lead@example.org';
  const open: BarrierNow = {
    status: 'open',
    stage: 'neighbourhood',
    cycle: 1,
    acknowledged: false,
    ownerEmail: lead,
    paused: false,
  };
  const held = (
    kind: HeldFacts['kind'],
    type: string,
    details: Record<string, unknown> = {},
    stage = 'neighbourhood',
  ): HeldFacts => ({
    kind,
    to: lead,
    event: { type: type as HeldFacts['event']['type'], stage: 'neighbourhood', details },
    stage,
    cycle: 1,
  });

  it('drops a new assignment once it is acknowledged, moved on or closed', () => {
    const assigned = held('assigned', 'routed');
    expect(stillWanted(assigned, open, 0)).toBe(true);
    expect(stillWanted(assigned, { ...open, acknowledged: true }, 0)).toBe(false);
    expect(
      stillWanted(assigned, { ...open, stage: 'locality', ownerEmail: 'x@example.org' }, 0),
    ).toBe(false);
    expect(stillWanted(assigned, { ...open, status: 'resolved' }, 0)).toBe(false);
  });

  it('drops a warning after its deadline, when paused or acknowledged', () => {
    const warning = held('warning', 'warning', { clock: 'acknowledge', dueAt: 1_000 });
    expect(stillWanted(warning, open, 500)).toBe(true);
    expect(stillWanted(warning, open, 1_000)).toBe(false);
    expect(stillWanted(warning, { ...open, paused: true }, 500)).toBe(false);
    expect(stillWanted(warning, { ...open, acknowledged: true }, 500)).toBe(false);
  });

  it('keeps news: a breach that escalated, an escalation told to the raiser', () => {
    const escalatedBreach = held(
      'breached',
      'breached',
      { owner: lead, clock: 'acknowledge' },
      'locality',
    );
    const movedOn = { ...open, stage: 'locality', ownerEmail: 'other@example.org' };
    expect(stillWanted(escalatedBreach, movedOn, 0)).toBe(true);
    expect(stillWanted(held('escalated', 'escalated'), movedOn, 0)).toBe(true);
  });

  it('drops a breach at a stage that does not escalate once its owner acknowledges', () => {
    const breach = held('breached', 'breached', { owner: lead, clock: 'acknowledge' });
    expect(stillWanted(breach, open, 0)).toBe(true);
    expect(stillWanted(breach, { ...open, acknowledged: true }, 0)).toBe(false);
  });

  it('keeps everything when the barrier is not in the read model', () => {
    expect(stillWanted(held('assigned', 'routed'), null, 0)).toBe(true);
  });
});
