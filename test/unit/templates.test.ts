import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../domain/barrier/types.ts';
import {
  renderAskMessage,
  renderBarrierMessage,
  renderCombined,
  type AskMessageContext,
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

describe("a combined email with a Whitehall ask's news", () => {
  const submitted: AskMessageContext = {
    kind: 'ask-submitted',
    event: { type: 'ask-submitted', at: AT, details: { dueAt: AT + 20 * 86_400_000 } },
    recipient: { email: 'gmca@example.org', name: 'GMCA' },
    ask: {
      reference: 'ASK-0007',
      title: 'Let health and care share caseload data',
      departmentName: 'Department of Health and Social Care',
      barrierCount: 3,
      dueAt: AT + 20 * 86_400_000,
    },
    link: 'http://golden-thread.test/asks/ASK-0007',
  };

  it('lists the ask as an ask, with what the email about it alone would say', () => {
    const m = renderCombined({
      recipient: { email: 'gmca@example.org', name: 'GMCA' },
      items: [breach('acknowledge'), submitted],
      summary: '1 deadline missed, 1 Whitehall ask submitted',
      outage: null,
      at: AT,
      link: 'http://golden-thread.test/barriers',
    });
    expect(m.text).toContain(
      'These happened to 1 of your barriers and 1 of your Whitehall asks together, most urgent first.',
    );
    expect(m.text).toContain(
      '- [ASK-0007] Submitted to Department of Health and Social Care: Let health and care share caseload data (Whitehall ask)',
    );
    const alone = renderAskMessage(submitted);
    expect(m.text).toContain(alone.text.split('\n')[2]!); // its headline
    expect(m.text).toContain('http://golden-thread.test/asks/ASK-0007');
  });

  it('names the ask in the subject when it is the most urgent item', () => {
    const m = renderCombined({
      recipient: { email: 'gmca@example.org', name: 'GMCA' },
      items: [submitted, { ...submitted, ask: { ...submitted.ask, reference: 'ASK-0008' } }],
      summary: '2 Whitehall asks submitted',
      outage: null,
      at: AT,
      link: 'http://golden-thread.test/barriers',
    });
    expect(m.subject).toBe(
      '[Golden Thread] 2 Whitehall asks submitted; most urgent [ASK-0007] Let health and care share caseload data',
    );
    expect(m.text).toContain('These happened to 2 of your Whitehall asks together');
  });
});
