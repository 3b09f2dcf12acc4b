import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../domain/barrier/types.ts';
import {
  renderBarrierMessage,
  renderCombined,
  type BarrierMessageContext,
} from '../../notify/templates.ts';

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

describe('a combined email', () => {
  const items = [
    breach('acknowledge'),
    {
      ...breach('resolve'),
      barrier: {
        ...breach('resolve').barrier,
        reference: 'GT-0043',
        title: '<b>Data</b> held back',
      },
    },
  ];
  const render = (outage: { from: number; to: number } | null) =>
    renderCombined({
      recipient: { email: 'gmca@example.org', name: 'GMCA' },
      items,
      summary: '2 deadlines missed',
      outage,
      at: AT,
      link: 'http://golden-thread.test/barriers',
    });

  it('says the count and the most urgent barrier in its subject, and lists each with its deadline in words', () => {
    const m = render(null);
    expect(m.subject).toBe(
      '[Golden Thread] 2 deadlines missed; most urgent [GT-0042] Pooled budget blocked',
    );
    expect(m.text).toContain('These happened to 2 of your barriers together, most urgent first.');
    expect(m.text).toContain(
      '- [GT-0042] Acknowledge deadline missed: Pooled budget blocked (Leigh, Wigan)',
    );
    expect(m.text).toContain('passed at 24 November 2026 at 10am');
    expect(m.text).toContain('http://golden-thread.test/barriers/GT-0042');
    expect(m.html).toContain('&lt;b&gt;Data&lt;/b&gt; held back');
    expect(m.html).not.toContain('<b>Data</b>');
  });

  it('after an outage, says when Golden Thread was unavailable', () => {
    const m = render({
      from: Date.parse('2026-11-24T11:02:00Z'),
      to: Date.parse('2026-11-24T12:24:00Z'),
    });
    expect(m.text).toContain(
      'While Golden Thread was unavailable from 11:02am to 12:24pm on 24 November 2026, these happened, most urgent first.',
    );
    expect(m.personalisation.summary).toContain('unavailable from 11:02am');
  });
});
