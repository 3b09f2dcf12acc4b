/**
 * Lists, the dashboard and the triage queue are served from each API
 * process's memory while the read model is unchanged (store/read-cache.ts).
 * What a user must never see is a list older than a change that had finished
 * when they asked, whichever API process served the change.
 */
import { describe, expect } from 'vitest';
import { readDashboard } from '../../services/dashboard.ts';
import { markChanged } from '../../store/read-cache.ts';
import { leighRaiseBody, startTestApi, type TestApi } from '../support/api.ts';
import { stackTest } from '../support/fixtures.ts';
import { localityLead } from '../support/people.ts';
import type { TestStack } from '../support/stack.ts';

const it = stackTest('read-cache');
let stack: TestStack;
let api: TestApi;
let other: TestApi;
let lead: string;

it.beforeAll(async ({ stack: s, api: a }) => {
  [stack, api] = [s, a];
  // A second API process's worth of server: its own connection and its own memory.
  other = await startTestApi(stack);
  lead = await api.token(localityLead('wigan'));
});
it.afterAll(async () => {
  await other?.close();
});

const LIST = '/api/v1/barriers?locality=wigan&limit=100';
const listed = async (through: TestApi) => {
  const res = await through.call('GET', LIST, { token: lead });
  expect(res.status).toBe(200);
  return res.body.items as { id: string; title: string }[];
};
const raise = async (through: TestApi, title: string) => {
  const res = await through.call('POST', '/api/v1/barriers', {
    token: lead,
    body: leighRaiseBody(title),
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
};

describe('lists kept in memory', () => {
  it('show a barrier raised through another API process as soon as the raise answers', async () => {
    await raise(api, 'First, so there is something to keep');
    // Stamped, as any database the projection has written to is (so this test fails without its stamp).
    await markChanged(stack.store.models, 'barriers');
    const before = await listed(api);
    expect(await listed(api)).toEqual(before);

    const id = await raise(other, 'Raised through the other process');
    const after = await listed(api);
    expect(after.map((b) => b.id)).toContain(id);
    expect(after).toHaveLength(before.length + 1);
  });

  it('are read again once the read model is marked changed, and not before', async () => {
    const id = await raise(api, 'Title as raised');
    expect((await listed(api)).find((b) => b.id === id)?.title).toBe('Title as raised');
    // A write behind the projection's back is not seen: the list is served from memory...
    await stack.store.models.Barrier.updateOne({ _id: id }, { $set: { title: 'Changed quietly' } });
    expect((await listed(api)).find((b) => b.id === id)?.title).toBe('Title as raised');
    // ...until the read model says it changed, as the projection does after every write.
    await markChanged(stack.store.models, 'barriers');
    expect((await listed(api)).find((b) => b.id === id)?.title).toBe('Changed quietly');
    expect((await listed(other)).find((b) => b.id === id)?.title).toBe('Changed quietly');
  });

  it('keep the dashboard current with the barriers it counts', async () => {
    const openIn = async (category: string) =>
      (await readDashboard(stack.store, Date.now())).openByCategory.find(
        (r) => r.label === category,
      )?.value;
    const before = (await openIn('funding')) ?? 0;
    expect(await openIn('funding')).toBe(before);
    await raise(other, 'One more funding barrier');
    expect(await openIn('funding')).toBe(before + 1);
  });
});
