import { describe, expect, it } from 'vitest';
import { BarrierMachine } from './barrier-machine.ts';
import { S, T0, lead, owner, policy24x7, raise, testDetails } from './test-machine.ts';

const types = (m: BarrierMachine) => m.takeEvents().map((e) => e.type);

describe('BarrierMachine clocks', () => {
  it('warns at each fraction, then breaches and asks to escalate', () => {
    const m = raise();
    // acknowledge clock: 40 s → warnings at 20 s and 32 s, breach at 40 s.
    expect(m.nextWakeAt()).toBe(T0 + 20 * S);
    expect(m.tick(T0 + 19 * S).escalateTo).toBeNull();
    expect(types(m)).toEqual([]);
    m.tick(T0 + 20 * S);
    expect(types(m)).toEqual(['warning']);
    expect(m.sla().atRisk).toBe(true);
    expect(m.nextWakeAt()).toBe(T0 + 32 * S);
    const out = m.tick(T0 + 40 * S);
    expect(types(m)).toEqual(['warning', 'breached']);
    expect(out.escalateTo).toBe('locality');
  });

  it("a breach that escalates pre-empts the other clock's warning at the same instant", () => {
    // acknowledge 40 s breaches at 40 s, exactly when resolve 80 s reaches its 50 % warning.
    const m = raise(policy24x7(80, 40));
    const out = m.tick(T0 + 45 * S);
    expect(out.escalateTo).toBe('locality');
    const events = m.takeEvents();
    expect(events.map((e) => `${e.type}:${String(e.details.clock)}`)).toEqual([
      'warning:acknowledge',
      'warning:acknowledge',
      'breached:acknowledge',
    ]);
  });

  it('fires due events in time order across both clocks', () => {
    // acknowledge 40 s (warn 20, 32), resolve 50 s (warn 25, 40): a late tick replays them in order.
    const m = raise(policy24x7(50, 40));
    m.tick(T0 + 39 * S);
    expect(m.takeEvents().map((e) => [e.at - T0, e.details.clock])).toEqual([
      [20 * S, 'acknowledge'],
      [25 * S, 'resolve'],
      [32 * S, 'acknowledge'],
    ]);
  });

  it('acknowledging stops the acknowledge clock and its reminders', () => {
    const m = raise();
    m.apply({ type: 'acknowledge' }, lead, T0 + 5 * S);
    expect(types(m)).toEqual(['acknowledged']);
    expect(m.sla().acknowledgeDueAt).toBeNull();
    // The resolve clock (100 s) is next: its first warning at 50 s.
    expect(m.nextWakeAt()).toBe(T0 + 50 * S);
    expect(m.problemWith({ type: 'acknowledge' }, T0 + 6 * S)).toMatch(/already acknowledged/);
  });

  it('pausing stops the clock and shifts every deadline by the paused time', () => {
    const m = raise();
    m.apply({ type: 'acknowledge' }, lead, T0);
    m.apply(
      { type: 'request-info', reason: 'awaiting-third-party', question: 'q' },
      lead,
      T0 + 10 * S,
    );
    expect(m.sla()).toMatchObject({
      paused: true,
      pauseReason: 'awaiting-third-party',
      resolveDueAt: null,
    });
    expect(m.nextWakeAt()).toBeNull();
    expect(m.tick(T0 + 500 * S).escalateTo).toBeNull();
    m.apply({ type: 'provide-info', response: 'r' }, lead, T0 + 1000 * S);
    expect(m.sla().resolveDueAt).toBe(T0 + 1090 * S);
    expect(types(m)).toEqual(['acknowledged', 'info-requested', 'info-provided']);
  });

  it('escalation starts fresh clocks at the next stage', () => {
    const m = raise();
    m.escalate('locality', 'system', 'SLA breached', true, T0 + 40 * S);
    expect(m.state.stage).toBe('locality');
    expect(m.state.owner).toBeNull();
    expect(m.sla().acknowledgeDueAt).toBe(T0 + 80 * S);
  });

  it('at gmca a breach is recorded but does not promote', () => {
    const m = raise();
    m.escalate('locality', 'system', 'x', true, T0);
    m.escalate('gmca', 'system', 'x', true, T0);
    expect(m.tick(T0 + 200 * S).escalateTo).toBeNull();
    expect(types(m)).toContain('breached');
    expect(m.problemWith({ type: 'escalate', reason: 'r' }, T0)).toMatch(/promotion/);
  });
});

describe('BarrierMachine actions', () => {
  it('resolves, then reopens within the window only', () => {
    const m = raise();
    m.apply({ type: 'resolve', resolution: 'fixed' }, lead, T0 + 10 * S);
    expect(m.state.status).toBe('resolved');
    expect(m.nextWakeAt()).toBeNull();
    expect(m.problemWith({ type: 'comment', text: 'x' }, T0)).toBeUndefined();
    expect(m.problemWith({ type: 'escalate', reason: 'x' }, T0)).toMatch(/resolved/);
    expect(m.problemWith({ type: 'reopen', reason: 'x' }, T0 + 71 * S)).toMatch(
      /reopen window has passed/,
    );
    const { needsRouting } = m.apply({ type: 'reopen', reason: 'back' }, lead, T0 + 30 * S);
    expect(needsRouting).toBe(true);
    expect(m.state).toMatchObject({ status: 'open', cycle: 2, stage: 'neighbourhood' });
  });

  it('rejects what the state does not allow', () => {
    const m = raise();
    expect(m.problemWith({ type: 'provide-info', response: 'x' }, T0)).toMatch(/not paused/);
    expect(m.problemWith({ type: 'reassign', to: { email: owner.email, name: 'x' } }, T0)).toMatch(
      /already owns/,
    );
    expect(m.problemWith({ type: 'reopen', reason: 'x' }, T0)).toMatch(/is open/);
    expect(() => m.apply({ type: 'provide-info', response: 'x' }, lead, T0)).toThrow(/not paused/);
  });

  it('migrating the policy keeps elapsed time and does not re-warn passed fractions', () => {
    const m = raise(policy24x7(100, 40));
    m.apply({ type: 'acknowledge' }, lead, T0);
    m.tick(T0 + 60 * S);
    expect(types(m)).toEqual(['acknowledged', 'warning']);
    m.apply(
      { type: 'migrate-policy', policy: policy24x7(200, 40, 2) },
      { email: 'admin@example.org', role: 'admin' },
      T0 + 60 * S,
    );
    expect(types(m)).toEqual(['policy-migrated']);
    expect(m.state.policy.version).toBe(2);
    // 60 s of 200 s used: next warning at 100 s, due at 200 s.
    expect(m.nextWakeAt()).toBe(T0 + 100 * S);
    expect(m.sla().resolveDueAt).toBe(T0 + 200 * S);
  });

  it('numbers events in order without gaps', () => {
    const m = raise();
    m.apply({ type: 'comment', text: 'a' }, lead, T0);
    m.apply({ type: 'comment', text: 'b' }, lead, T0);
    expect(m.takeEvents().map((e) => e.seq)).toEqual([3, 4]);
  });
});

describe('BarrierMachine imported from a log', () => {
  const raisedOn = T0 - 400 * 86_400 * S;
  const imported = (close?: { status: 'resolved' | 'withdrawn'; text: string }) =>
    BarrierMachine.raise({
      id: 'GT-0002',
      reference: 'GT-0002',
      raisedBy: lead.email,
      policy: policy24x7(),
      now: T0,
      details: testDetails(),
      imported: {
        importId: 'IMP-0001',
        source: 'log.csv',
        row: 7,
        by: 'admin@example.org',
        raisedOn,
        ...(close ? { close } : {}),
      },
    });

  it('keeps the day it was raised on but starts its clocks at import, so it is not breached', () => {
    const m = imported();
    const events = m.takeEvents();
    expect(events.map((e) => [e.type, e.at, e.actor])).toEqual([
      ['raised', raisedOn, lead.email],
      ['imported', T0, 'admin@example.org'],
    ]);
    expect(events[1]!.details).toEqual({
      source: 'log.csv',
      row: 7,
      importId: 'IMP-0001',
      raisedOn,
    });
    expect(m.state.raisedAt).toBe(raisedOn);
    expect(m.sla().acknowledgeDueAt).toBe(T0 + 40 * S);
    expect(m.sla().breached).toBe(false);
  });

  it('arrives closed with its resolution when the log says it was resolved', () => {
    const m = imported({ status: 'resolved', text: 'Pooled budget agreed' });
    expect(m.state.status).toBe('resolved');
    expect(m.state.resolution).toBe('Pooled budget agreed');
    const last = m.takeEvents().at(-1)!;
    expect([last.type, last.details]).toEqual([
      'resolved',
      { resolution: 'Pooled budget agreed', imported: true },
    ]);
    expect(m.nextWakeAt()).toBeNull();
  });
});
