/**
 * GMCA triage and Whitehall asks through the real API on the dev server and
 * FerretDB: two localities raise the same barrier, both climb to gmca, triage
 * merges one into the other and promotes the survivor into a new ask, the ask
 * is submitted and agreed, and both raisers see the outcome. Roles hold.
 */
import { describe, expect } from 'vitest';
import { parsePolicy } from '../../domain/policy/policy.ts';
import type { TestApi } from '../support/api.ts';
import { gmcaTriage, localityLead, neighbourhoodLead } from '../support/people.ts';
import { until } from '../support/processes.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

let stack: TestStack;
let api: TestApi;
const tokens: Record<string, string> = {};

const policy = parsePolicy({
  id: 'test-triage',
  version: 1,
  name: 'quick climb to gmca',
  calendar: '24x7',
  reopenWindow: 'PT60S',
  stages: {
    neighbourhood: { acknowledge: 'PT2S', resolve: 'PT1H' },
    locality: { acknowledge: 'PT2S', resolve: 'PT1H' },
    gmca: { acknowledge: 'PT1H', resolve: 'PT2H' },
    whitehall: { acknowledge: 'PT1H', resolve: 'PT2H' },
  },
  asks: { chaseEvery: 'PT1H', maxChasers: 1 },
});
const it = stackTest('triage', { api: { policy } });

it.beforeAll(async ({ stack: s, api: a }) => {
  [stack, api] = [s, a];
  const people = {
    wigan: localityLead('wigan'),
    bolton: localityLead('bolton'),
    manchester: localityLead('manchester'),
    leigh: neighbourhoodLead('wigan', 'leigh'),
    gmca: gmcaTriage(),
  };
  for (const [k, v] of Object.entries(people)) tokens[k] = await api.token(v);
});
const call = (who: string, method: string, path: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who], body });

async function raiseAndClimb(who: 'wigan' | 'bolton', neighbourhood: string, title: string) {
  const raised = await call(who, 'POST', '/api/v1/barriers', {
    title,
    description: 'Health and care teams cannot see each other’s records.',
    locality: who,
    neighbourhood,
    category: 'data-sharing',
    focusArea: 'health-inclusion',
    peopleAffected: who === 'wigan' ? 300 : 120,
  });
  expect(raised.status).toBe(201);
  return raised.body.id as string;
}

async function stageOf(id: string) {
  return (await stack.store.models.Barrier.findById(id).lean())?.stage;
}

describe('triage and Whitehall asks', () => {
  let wiganId: string;
  let boltonId: string;
  let askId: string;

  it('shows both escalations in the triage queue, most urgent first, each hinting at the other', async () => {
    wiganId = await raiseAndClimb(
      'wigan',
      'leigh',
      'Data-sharing agreement blocks a joint caseload',
    );
    // Wigan's reaches gmca first, so its deadline there is the nearer: raised together, the
    // two climbs' timers could land in either order on a loaded machine.
    await until('wigan at gmca', async () => (await stageOf(wiganId)) === 'gmca');
    boltonId = await raiseAndClimb(
      'bolton',
      'turton',
      'Joint caseload blocked by the data sharing agreement',
    );
    await until(
      'both at gmca',
      async () => (await stageOf(wiganId)) === 'gmca' && (await stageOf(boltonId)) === 'gmca',
    );
    const queue = await call('gmca', 'GET', '/api/v1/triage');
    expect(queue.status).toBe(200);
    const ids = queue.body.items.map((b: { id: string }) => b.id);
    expect(ids).toEqual([wiganId, boltonId].sort((a, b) => (a < b ? -1 : 1)));
    const wigan = queue.body.items.find((b: { id: string }) => b.id === wiganId);
    expect(wigan.likelyDuplicates.map((d: { id: string }) => d.id)).toEqual([boltonId]);
    expect(queue.body.total).toBe(2);
    expect(queue.body.nextCursor).toBeNull();
    // A page at a time: the cursor carries on where the last page ended.
    const first = await call('gmca', 'GET', '/api/v1/triage?limit=1');
    expect(first.body.items.map((b: { id: string }) => b.id)).toEqual([ids[0]]);
    expect(first.body.total).toBe(2);
    const second = await call(
      'gmca',
      'GET',
      `/api/v1/triage?limit=1&cursor=${first.body.nextCursor as string}`,
    );
    expect(second.body.items.map((b: { id: string }) => b.id)).toEqual([ids[1]]);
    expect(second.body.nextCursor).toBeNull();
    const badCursor = await call('gmca', 'GET', '/api/v1/triage?cursor=not-ours');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors[0].field).toBe('query.cursor');
    const filtered = await call('gmca', 'GET', '/api/v1/triage?locality=bolton');
    expect(filtered.body.items.map((b: { id: string }) => b.id)).toEqual([boltonId]);
    const bad = await call('gmca', 'GET', '/api/v1/triage?locality=leeds');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.locality');
  }, 60_000);

  it('keeps triage and asks to GMCA staff (403 for leads)', async () => {
    expect((await call('wigan', 'GET', '/api/v1/triage')).status).toBe(403);
    const merge = await call('wigan', 'POST', `/api/v1/barriers/${wiganId}/actions`, {
      type: 'merge',
      into: boltonId,
    });
    expect(merge.status).toBe(403);
    const ask = await call('wigan', 'POST', '/api/v1/asks', {
      title: 'x',
      department: 'dhsc',
      ask: 'y',
      barrierIds: [wiganId],
    });
    expect(ask.status).toBe(403);
    expect(await stageOf(wiganId)).toBe('gmca');
  });

  it('merges the Bolton barrier into Wigan’s: Bolton’s closes as merged, its timeline and raiser move over', async () => {
    const res = await call('gmca', 'POST', `/api/v1/barriers/${boltonId}/actions`, {
      type: 'merge',
      into: wiganId,
      reason: 'Same agreement, same teams.',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('merged');
    expect(res.body.mergedInto).toBe(wiganId);
    await until('the survivor to absorb it', async () =>
      ((await stack.store.models.Barrier.findById(wiganId).lean())?.mergedFrom ?? []).includes(
        boltonId,
      ),
    );
    // Bolton's lead follows the survivor in Wigan and sees the joined timeline.
    const survivor = await call('bolton', 'GET', `/api/v1/barriers/${wiganId}`);
    expect(survivor.status).toBe(200);
    expect(survivor.body.raisers).toEqual([localityLead('wigan').sub, localityLead('bolton').sub]);
    const from = new Set(survivor.body.timeline.map((e: { barrierId: string }) => e.barrierId));
    expect(from).toEqual(new Set([wiganId, boltonId]));
    expect(
      survivor.body.timeline.some(
        (e: { type: string; barrierId: string; details: { direction?: string } }) =>
          e.type === 'merged' && e.barrierId === wiganId && e.details.direction === 'from',
      ),
    ).toBe(true);
    // Both raisers were told.
    await stack.mailbox.waitFor(
      (ms) =>
        ms.some((m) => m.kind === 'merged' && m.to.includes(localityLead('bolton').sub)) &&
        ms.some((m) => m.kind === 'merged' && m.to.includes(localityLead('wigan').sub)),
      20_000,
    );
    // A merged barrier takes no more triage.
    const again = await call('gmca', 'POST', `/api/v1/barriers/${boltonId}/actions`, {
      type: 'return',
      reason: 'x',
    });
    expect(again.status).toBe(422);
  }, 60_000);

  it('promotes the survivor into a new ask with evidence from both localities', async () => {
    const res = await call('gmca', 'POST', `/api/v1/barriers/${wiganId}/actions`, {
      type: 'promote',
      ask: {
        title: 'Let health and care share caseload data',
        department: 'dhsc',
        ask: 'Issue guidance that a neighbourhood team may share a caseload list.',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.stage).toBe('whitehall');
    askId = res.body.askId as string;
    expect(askId).toMatch(/^ASK-\d{4,}$/);
    const ask = await call('gmca', 'GET', `/api/v1/asks/${askId}`);
    expect(ask.status).toBe(200);
    expect(ask.body).toMatchObject({
      status: 'draft',
      department: 'dhsc',
      departmentName: 'Department of Health and Social Care',
      barrierIds: [wiganId],
    });
    expect(ask.body.evidence.localities).toEqual(['bolton', 'wigan']);
    expect(ask.body.evidence.peopleAffected).toBe(300);
    expect(ask.body.evidence.breaches).toBe(4);
    expect(ask.body.barriers[0]).toMatchObject({ id: wiganId, stage: 'whitehall' });
  }, 30_000);

  it('shows leads the asks that bundle their barriers, and no others', async () => {
    for (const who of ['wigan', 'bolton', 'leigh']) {
      const list = await call(who, 'GET', '/api/v1/asks');
      expect(list.body.items.map((a: { id: string }) => a.id)).toContain(askId);
      expect((await call(who, 'GET', `/api/v1/asks/${askId}`)).status).toBe(200);
    }
    expect((await call('manchester', 'GET', '/api/v1/asks')).body.items).toEqual([]);
    expect((await call('manchester', 'GET', `/api/v1/asks/${askId}`)).status).toBe(404);
    const act = await call('wigan', 'POST', `/api/v1/asks/${askId}/actions`, { type: 'submit' });
    expect(act.status).toBe(403);
  });

  it('submits the ask, records agreed, and both raisers see the outcome on the barrier', async () => {
    const submitted = await call('gmca', 'POST', `/api/v1/asks/${askId}/actions`, {
      type: 'submit',
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('submitted');
    expect(Date.parse(submitted.body.responseDueAt) - Date.parse(submitted.body.submittedAt)).toBe(
      2 * 3_600_000,
    );
    const early = await call('gmca', 'POST', `/api/v1/asks/${askId}/actions`, {
      type: 'add-barrier',
      barrierId: boltonId,
    });
    expect(early.status).toBe(422);

    const answered = await call('gmca', 'POST', `/api/v1/asks/${askId}/actions`, {
      type: 'record-response',
      outcome: 'agreed',
      response: 'Guidance will be issued in the spring.',
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'answered', outcome: 'agreed' });

    await until('the outcome on the barrier', async () =>
      Boolean(await stack.store.models.Barrier.findOne({ _id: wiganId, status: 'closed' }).lean()),
    );
    for (const who of ['wigan', 'bolton']) {
      const b = await call(who, 'GET', `/api/v1/barriers/${wiganId}`);
      expect(b.body.status).toBe('closed');
      const outcome = b.body.timeline.find((e: { type: string }) => e.type === 'ask-outcome');
      expect(outcome.details).toMatchObject({ askId, outcome: 'agreed' });
    }
    await stack.mailbox.waitFor(
      (ms) =>
        [localityLead('wigan').sub, localityLead('bolton').sub].every((r) =>
          ms.some((m) => m.kind === 'ask-outcome' && m.to.includes(r)),
        ),
      20_000,
    );
  }, 30_000);

  it('exports the register as CSV that opens cleanly in a spreadsheet', async () => {
    const res = await api.call('GET', '/api/v1/asks?format=csv', { token: tokens.gmca });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('whitehall-asks.csv');
    // The raw bytes start with a UTF-8 byte-order mark (text decoding drops it).
    const raw = new Uint8Array(
      await (
        await fetch(`${api.url}/api/v1/asks?format=csv`, {
          headers: { authorization: `Bearer ${tokens.gmca}` },
        })
      ).arrayBuffer(),
    );
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.body as string;
    expect(text.startsWith('Reference,Title,Department,Status,Outcome')).toBe(true);
    const lines = text.split('\r\n');
    expect(lines[1]).toContain(
      `${askId},Let health and care share caseload data,Department of Health and Social Care,answered,agreed,1,${wiganId},bolton; wigan,300,4`,
    );
    const bad = await api.call('GET', '/api/v1/asks?format=xlsx', { token: tokens.gmca });
    expect(bad.status).toBe(400);
  });
});

describe('the other triage decisions', () => {
  it('accepts with a GMCA owner and resolve target, returns to the locality, and links two barriers', async () => {
    const [a, b, c] = await Promise.all([
      raiseAndClimb('wigan', 'wigan-central', 'Ring-fenced grant cannot pay for a shared post'),
      raiseAndClimb('wigan', 'wigan-north', 'Estates rules block a shared neighbourhood hub'),
      raiseAndClimb('bolton', 'westhoughton', 'Workforce terms stop a joint rota'),
    ]);
    await until('all at gmca', async () =>
      (await Promise.all([a, b, c].map(stageOf))).every((s) => s === 'gmca'),
    );
    const owner = gmcaTriage().sub;

    const accepted = await call('gmca', 'POST', `/api/v1/barriers/${a}/actions`, {
      type: 'accept',
      owner,
      resolveTarget: 'PT3H',
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      stage: 'gmca',
      owner: { email: owner },
      acknowledged: true,
    });
    const resolveIn = Date.parse(accepted.body.sla.resolveDueAt) - Date.now();
    expect(resolveIn).toBeGreaterThan(3 * 3_600_000 - 60_000);
    expect(resolveIn).toBeLessThanOrEqual(3 * 3_600_000);
    const badOwner = await call('gmca', 'POST', `/api/v1/barriers/${a}/actions`, {
      type: 'accept',
      owner: localityLead('wigan').sub,
      resolveTarget: 'P1M',
    });
    expect(badOwner.status).toBe(400);
    expect(badOwner.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'body.resolveTarget',
    ]);

    const returned = await call('gmca', 'POST', `/api/v1/barriers/${b}/actions`, {
      type: 'return',
      reason: 'The locality can fix this with its own estates team.',
    });
    expect(returned.status).toBe(200);
    expect(returned.body.stage).toBe('locality');
    expect(returned.body.owner.email).toBe(localityLead('wigan').sub);
    await stack.mailbox.waitFor((ms) =>
      ms.some((m) => m.kind === 'returned' && m.subject.startsWith(`[${b}]`)),
    );

    const linked = await call('gmca', 'POST', `/api/v1/barriers/${c}/actions`, {
      type: 'link',
      with: a,
    });
    expect(linked.status).toBe(200);
    expect(linked.body.links).toEqual([a]);
    await until('the link to show on both', async () =>
      ((await stack.store.models.Barrier.findById(a).lean())?.links ?? []).includes(c),
    );
    const missing = await call('gmca', 'POST', `/api/v1/barriers/${c}/actions`, {
      type: 'link',
      with: 'GT-999999',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toEqual({ field: 'body.with', reason: 'is not a barrier' });
  }, 60_000);
});
