/**
 * The triage queue has one order, and the page and GET /api/v1/triage show it.
 * The queue here is one that two ways of counting "localities sharing" would
 * order differently: Wigan's barrier absorbed two other Wigan barriers (1
 * locality, though counting barriers would say 3), Bolton's absorbed one from
 * Stockport (2 localities). Same deadline, same people affected: the
 * localities decide, so Bolton's comes first.
 */
import { describe, expect } from 'vitest';
import type { TestApi } from '../support/api.ts';
import { gmcaTriage } from '../support/people.ts';
import { createSession } from '../../services/sessions.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';
import { barrierWorkflowId } from '../../workflows/barrier/definitions.ts';

const it = stackTest('triage-order', { worker: false });
let stack: TestStack;
let api: TestApi;
it.beforeAll(({ stack: s, api: a }) => {
  [stack, api] = [s, a];
});
const deadline = new Date(Date.now() + 3_600_000);

/** A read-model barrier as the projection writes it. */
function barrier(id: string, locality: string, over: Record<string, unknown> = {}) {
  return {
    _id: id,
    reference: id,
    title: `Pooled budget blocked (${id})`,
    description: 'd',
    locality,
    neighbourhood: 'any',
    category: 'funding',
    peopleAffected: 100,
    raisedBy: 'someone@example.org',
    raisedAt: new Date(),
    stage: 'gmca',
    status: 'open',
    cycle: 1,
    policy: { id: 'default', version: 1 },
    sla: { stage: 'gmca', calendar: '24x7', nextDeadlineAt: deadline },
    nextDeadlineAt: deadline,
    deadlineSortAt: deadline,
    lastSeq: 0,
    workflowId: barrierWorkflowId(id),
    projectedAt: new Date(),
    ...over,
  };
}

describe('the triage queue', () => {
  it('is ordered by one rule that the page and the API share', async () => {
    const { Barrier } = stack.store.models;
    await Barrier.create([
      // The lower id: counting barriers (3) rather than localities would put Wigan's first.
      barrier('GT-9000001', 'wigan', { mergedFrom: ['GT-9000003', 'GT-9000004'] }),
      barrier('GT-9000002', 'bolton', { mergedFrom: ['GT-9000005'] }),
      barrier('GT-9000003', 'wigan', { status: 'merged', stage: 'neighbourhood' }),
      barrier('GT-9000004', 'wigan', { status: 'merged', stage: 'neighbourhood' }),
      barrier('GT-9000005', 'stockport', { status: 'merged', stage: 'neighbourhood' }),
    ]);
    const token = await api.token(gmcaTriage());

    const fromApi = await api.call('GET', '/api/v1/triage', { token });
    expect(fromApi.status).toBe(200);
    const apiOrder = fromApi.body.items.map((i: any) => [i.id, i.localitiesSharing]);
    expect(apiOrder).toEqual([
      ['GT-9000002', 2],
      ['GT-9000001', 1],
    ]);

    const cookie = `gt_session=${await createSession(stack.store, { email: gmcaTriage().sub, via: 'development' })}`;
    const page = await fetch(`${api.url}/triage`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const rows = [
      ...html.matchAll(
        /<tr class="govuk-table__row">\s*<td[^>]*><a[^>]*>(GT-\d+)<\/a>[\s\S]*?<\/tr>/g,
      ),
    ];
    const pageOrder = rows.map((m) => [
      m[1],
      Number(/<td[^>]*>(\d+)<\/td>\s*<td[^>]*>[^<]*<\/td>\s*<\/tr>/.exec(m[0])?.[1]),
    ]);
    expect(pageOrder).toEqual(apiOrder);
  });
});
