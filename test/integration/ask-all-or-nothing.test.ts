/**
 * Creating an ask with several barriers is all or nothing. Three barriers
 * reach gmca; the second is resolved, but its read model is left saying open
 * (as a projection not yet landed would), so the checks pass and its workflow
 * refuses the promotion midway. The first, already promoted, goes back to
 * gmca; the third is never touched; the draft is withdrawn; the API says 422.
 */
import { describe, expect } from 'vitest';
import { barrierStateQuery, barrierWorkflowId } from '../../workflows/barrier/definitions.ts';
import { stackTest } from '../support/fixtures.ts';
import { gmcaTriage, localityLead } from '../support/people.ts';
import { ackSecondsPolicy } from '../support/policies.ts';
import { until } from '../support/processes.ts';

const policy = ackSecondsPolicy('test-ask-all-or-nothing', { neighbourhood: 2, locality: 2 });
const it = stackTest('ask-all-or-nothing', { api: { policy } });

describe('creating an ask', () => {
  it('promotes every barrier or none', async ({ api, stack }) => {
    const lead = await api.token(localityLead('wigan'));
    const gmca = await api.token(gmcaTriage());
    const ids: string[] = [];
    for (const title of ['First', 'Second', 'Third']) {
      const raised = await api.call('POST', '/api/v1/barriers', {
        token: lead,
        body: {
          title: `${title} barrier`,
          description: 'd',
          locality: 'wigan',
          neighbourhood: 'leigh',
          category: 'funding',
        },
      });
      expect(raised.status).toBe(201);
      ids.push(raised.body.id as string);
    }
    const [first, second, third] = ids as [string, string, string];
    const state = (id: string) =>
      stack.client.workflow.getHandle(barrierWorkflowId(id)).query(barrierStateQuery);
    await until(
      'all three at gmca',
      async () => (await Promise.all(ids.map(state))).every((v) => v.stage === 'gmca'),
      60_000,
    );
    const resolved = await api.call('POST', `/api/v1/barriers/${second}/actions`, {
      token: gmca,
      body: { type: 'resolve', resolution: 'Sorted locally after all.' },
    });
    expect(resolved.status).toBe(200);
    // The read model behind the workflow: still open, as a projection not yet landed.
    await stack.store.models.Barrier.updateOne(
      { _id: second },
      { $set: { status: 'open', closedAt: null } },
    );
    const thirdBefore = await state(third);

    const created = await api.call('POST', '/api/v1/asks', {
      token: gmca,
      body: {
        title: 'Pooled budgets',
        department: 'mhclg',
        ask: 'Lift the ring-fence.',
        barrierIds: ids,
      },
    });
    expect(created.status).toBe(422);
    expect(created.body.detail).toMatch(new RegExp(`${second} cannot go into the ask now`));

    // None is left promoted: the first went back to gmca, the second stays resolved,
    // the third was never listed or told.
    await until('the first back at gmca', async () => {
      const v = await state(first);
      return v.stage === 'gmca' && v.askId === null;
    });
    expect(await state(second)).toMatchObject({ status: 'resolved', askId: null });
    expect(await state(third)).toEqual(thirdBefore);
    const asks = await stack.store.models.Ask.find().lean();
    expect(asks.map((a) => a.status)).toEqual(['withdrawn']);
  }, 120_000);
});
