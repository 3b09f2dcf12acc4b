/**
 * A barrier with a long history continues as new without losing state or
 * timeline, and keeps taking actions afterwards.
 */
import { describe, expect } from 'vitest';
import type { TestApi } from '../support/api.ts';
import { localityLead } from '../support/people.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';
import { barrierWorkflowId } from '../../workflows/barrier/definitions.ts';

const it = stackTest('can');
let stack: TestStack;
let api: TestApi;
it.beforeAll(({ stack: s, api: a }) => {
  [stack, api] = [s, a];
});
describe('continue-as-new', () => {
  it('carries the state over when the history grows long', async () => {
    const token = await api.token(localityLead('wigan'));
    const raised = await api.call('POST', '/api/v1/barriers', {
      token,
      body: {
        title: 'A long-running conversation',
        description: 'd',
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'commissioning',
      },
    });
    const id = raised.body.id as string;
    const handle = stack.client.workflow.getHandle(barrierWorkflowId(id));
    const firstRun = (await handle.describe()).runId;

    // Each comment adds several history events; the limit is 2,000. Through the API, each
    // answer re-reads the growing timeline: 420 take about 160 s on two cores alone.
    const comments = 420;
    for (let i = 0; i < comments; i++) {
      const res = await api.call('POST', `/api/v1/barriers/${id}/actions`, {
        token,
        body: { type: 'comment', text: `note ${i}` },
      });
      expect(res.status).toBe(200);
    }
    const described = await handle.describe();
    expect(described.runId).not.toBe(firstRun);
    expect(described.historyLength).toBeLessThan(2_000);

    const acknowledged = await api.call('POST', `/api/v1/barriers/${id}/actions`, {
      token,
      body: { type: 'acknowledge' },
    });
    expect(acknowledged.status).toBe(200);
    const got = (await api.call('GET', `/api/v1/barriers/${id}`, { token })).body;
    expect(got.timeline).toHaveLength(2 + comments + 1);
    expect(got.timeline.map((e: { seq: number }) => e.seq)).toEqual(
      Array.from({ length: comments + 3 }, (_, i) => i + 1),
    );
    expect(got).toMatchObject({
      stage: 'neighbourhood',
      status: 'open',
      acknowledged: true,
      owner: raised.body.owner,
    });
    expect(got.sla.resolveDueAt).toBe(raised.body.sla.resolveDueAt);
  }, 300_000);
});
