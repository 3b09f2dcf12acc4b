/**
 * A barrier machine for unit tests: a 24x7 policy in seconds, raised in Leigh
 * by a Wigan lead at T0 and routed to an owner. Test support only.
 */
import { parsePolicy, type Policy } from '../policy/policy.ts';
import { BarrierMachine } from './barrier-machine.ts';
import type { Actor } from './types.ts';
import type { RaiseBarrier } from './schemas.ts';

export const S = 1000;
export const T0 = Date.parse('2026-11-23T10:00:00Z');
export const policy24x7 = (resolve = 100, acknowledge = 40, version = 1): Policy =>
  parsePolicy({
    version,
    name: 'unit',
    calendar: '24x7',
    reopenWindow: 'PT60S',
    stages: {
      neighbourhood: { acknowledge: `PT${acknowledge}S`, resolve: `PT${resolve}S` },
      locality: { acknowledge: `PT${acknowledge}S`, resolve: `PT${resolve}S` },
      gmca: { acknowledge: `PT${acknowledge}S`, resolve: `PT${resolve}S` },
      whitehall: { acknowledge: `PT${acknowledge}S`, resolve: `PT${resolve}S` },
    },
  });
export const lead: Actor = { email: 'lead@example.org', role: 'locality-lead', locality: 'wigan' };
export const owner = { email: 'owner@example.org', name: 'Owner', reason: 'neighbourhood-lead' };

/** What the test barriers were raised with: in Leigh, Wigan, about funding. */
export const testDetails = (): RaiseBarrier => ({
  title: 't',
  description: 'd',
  locality: 'wigan',
  neighbourhood: 'leigh',
  category: 'funding',
  evidence: [],
});

/** Barrier `id`, raised at T0 and routed to its owner, its events not yet taken. */
export function routed(id: string, policy = policy24x7()) {
  const m = BarrierMachine.raise({
    id,
    reference: id,
    raisedBy: lead.email,
    policy,
    now: T0,
    details: testDetails(),
  });
  m.assign(owner, T0);
  return m;
}

/** A routed barrier with its events taken. */
export function raise(policy = policy24x7()) {
  const m = routed('GT-0001', policy);
  m.takeEvents();
  return m;
}
