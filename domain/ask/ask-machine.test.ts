import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parsePolicy } from '../policy/policy.ts';
import { AskActionRejected, AskMachine } from './ask-machine.ts';

const gmca = { email: 'gmca@example.org', role: 'gmca-triage' as const };
const policy = parsePolicy({
  ...DEFAULT_POLICY,
  calendar: '24x7',
  stages: { ...DEFAULT_POLICY.stages, whitehall: { acknowledge: 'PT1H', resolve: 'PT10S' } },
  asks: { chaseEvery: 'PT5S', maxChasers: 2 },
});
const ask = (barrierIds = ['GT-0001', 'GT-0002']) =>
  AskMachine.create({
    id: 'ASK-0001',
    reference: 'ASK-0001',
    title: 't',
    department: 'dwp',
    ask: 'a',
    createdBy: gmca.email,
    owner: { email: gmca.email, name: 'G' },
    barrierIds,
    policy,
    now: 0,
  });

describe('AskMachine', () => {
  it('changes its barriers only as a draft, and keeps at least one', () => {
    const m = ask();
    m.apply({ type: 'remove-barrier', barrierId: 'GT-0002' }, gmca, 1);
    expect(m.takeNews()).toEqual([
      {
        barrierIds: ['GT-0002'],
        news: { type: 'removed', askId: 'ASK-0001', reason: 'removed from ask ASK-0001' },
      },
    ]);
    expect(m.problemWith({ type: 'remove-barrier', barrierId: 'GT-0001' })).toMatch(/at least one/);
    m.apply({ type: 'submit' }, gmca, 1_000);
    expect(m.problemWith({ type: 'add-barrier', barrierId: 'GT-0003' })).toMatch(
      /only while the ask is a draft/,
    );
    expect(() => m.apply({ type: 'submit' }, gmca, 2_000)).toThrow(AskActionRejected);
  });

  it('chases on the cadence after the due date, then records no-response, telling every barrier', () => {
    const m = ask();
    m.apply({ type: 'submit' }, gmca, 0);
    expect(m.state.dueAt).toBe(10_000);
    m.tick(9_999);
    expect(m.state.chasers).toBe(0);
    m.tick(30_000); // chasers at 10 s and 15 s, no-response at 20 s
    expect(m.takeEvents().map((e) => `${e.type}@${e.at}`)).toEqual([
      'created@0',
      'ask-submitted@0',
      'ask-chased@10000',
      'ask-chased@15000',
      'ask-outcome@20000',
    ]);
    expect(m.state).toMatchObject({ status: 'answered', outcome: 'no-response' });
    expect(m.takeNews().map((n) => [n.news.type, n.barrierIds.length])).toEqual([
      ['submitted', 2],
      ['chased', 2],
      ['chased', 2],
      ['outcome', 2],
    ]);
    expect(m.finished).toBe(true);
  });

  it('stops chasing once answered or withdrawn', () => {
    const m = ask();
    m.apply({ type: 'submit' }, gmca, 0);
    m.apply({ type: 'record-response', outcome: 'declined', response: 'No.' }, gmca, 5_000);
    m.tick(100_000);
    expect(m.state).toMatchObject({ outcome: 'declined', chasers: 0, nextChaseAt: null });
    const w = ask();
    w.apply({ type: 'withdraw', reason: 'overtaken' }, gmca, 1);
    expect(w.nextWakeAt()).toBeNull();
    expect(w.problemWith({ type: 'withdraw', reason: 'again' })).toMatch(/already withdrawn/);
  });
});
