/**
 * A webhook's barrier is the barrier as the API gives it to an admin: the
 * body the worker writes carries the one public shape
 * (domain/barrier/public-shape.ts), and that shape is what the API's schema
 * (services/public-barrier.ts, the OpenAPI document) declares.
 */
import { describe, expect, it } from 'vitest';
import { barrierDocument } from '../../activities/projection.ts';
import { webhookBody } from '../../domain/webhooks/payload.ts';
import { publicBarrierShape } from '../../domain/barrier/public-shape.ts';
import { publicBarrier, publicBarrierSchema } from '../../services/public-barrier.ts';
import { DEFAULT_POLICY } from '../../domain/policy/policy.ts';

describe('a webhook’s barrier', () => {
  it('is the API’s representation of it', () => {
    const view = {
      id: 'GT-0042',
      reference: 'GT-0042',
      title: 'Pooled budget',
      description: 'd',
      locality: 'wigan',
      neighbourhood: 'leigh',
      category: 'funding',
      focusArea: null,
      gmModelFeature: null,
      peopleAffected: 12,
      evidence: [{ title: 'Audit', url: 'https://example.org/a.pdf' }],
      raisedBy: 'leah.walsh@example.org',
      raisedAt: Date.UTC(2026, 11, 7, 10),
      stage: 'neighbourhood',
      status: 'open',
      cycle: 1,
      owner: { email: 'ben@example.org', name: 'Ben', reason: 'neighbourhood-lead' },
      acknowledged: false,
      policy: { id: DEFAULT_POLICY.id, version: DEFAULT_POLICY.version },
      sla: {
        stage: 'neighbourhood',
        calendar: 'working-hours-england-and-wales',
        acknowledgeDueAt: Date.UTC(2026, 11, 8, 10),
        resolveDueAt: Date.UTC(2026, 11, 21, 10),
        paused: false,
        pauseReason: null,
        breached: false,
        atRisk: false,
        nextDeadlineAt: Date.UTC(2026, 11, 8, 10),
        overdueSince: null,
      },
      closedAt: null,
      reopenUntil: null,
      resolution: null,
      raisers: [],
      mergedInto: null,
      mergedFrom: [],
      links: ['GT-0007'],
      askId: null,
      seq: 2,
    };
    const doc = barrierDocument('barrier-GT-0042', view as never);
    const body = webhookBody(
      'barrier.raised',
      { seq: 1, at: Date.UTC(2026, 11, 7, 10), kind: 'raised', actor: view.raisedBy, details: {} },
      { barrier: publicBarrierShape(doc) },
      'https://gt.example.org/barriers/GT-0042',
    );
    const webhook = (JSON.parse(body) as { data: { barrier: unknown } }).data.barrier;
    expect(webhook).toEqual(JSON.parse(JSON.stringify(publicBarrier(doc as never))));
    expect(publicBarrierSchema.safeParse(webhook).success).toBe(true);
  });
});
