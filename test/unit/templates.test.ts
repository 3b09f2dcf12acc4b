import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../domain/barrier/types.ts';
import { renderBarrierMessage, type BarrierMessageContext } from '../../notify/templates.ts';

const AT = Date.parse('2026-11-24T10:00:00Z');

function breach(clock: 'acknowledge' | 'resolve'): BarrierMessageContext {
  const event: TimelineEvent = {
    seq: 5,
    at: AT,
    type: 'breached',
    stage: 'gmca',
    actor: 'system',
    details: { clock, dueAt: AT, owner: 'gmca@example.org' },
  };
  return {
    kind: 'breached',
    event,
    recipient: { email: 'gmca@example.org', name: 'GMCA' },
    barrier: {
      reference: 'GT-0042',
      title: 'Pooled budget blocked',
      localityName: 'Wigan',
      neighbourhoodName: 'Leigh',
      stage: 'gmca',
      calendar: 'working-hours-england-and-wales',
      ownerName: 'GMCA',
      acknowledgeDueAt: null,
      resolveDueAt: null,
    },
    link: 'http://golden-thread.test/barriers/GT-0042',
  };
}

describe('breach email subjects', () => {
  it('name which deadline was missed, so the two are told apart in an inbox', () => {
    const ack = renderBarrierMessage(breach('acknowledge')).subject;
    const resolve = renderBarrierMessage(breach('resolve')).subject;
    expect(ack).toBe('[GT-0042] Acknowledge deadline missed: Pooled budget blocked');
    expect(resolve).toBe('[GT-0042] Resolve deadline missed: Pooled budget blocked');
  });
});
