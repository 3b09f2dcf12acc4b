/**
 * Lists, the dashboard, the triage queue and callers' identities are served
 * from each API process's memory while what they were read from is unchanged
 * (store/read-cache.ts). What a user must never see is a list older than a
 * change that had finished when they asked, whichever API process served the
 * change; and a revoked role must not let anyone in on their next request.
 */
import { describe, expect } from 'vitest';
import { readDashboard } from '../../services/dashboard.ts';
import { raiseBarrierSchema } from '../../domain/barrier/schemas.ts';
import { DEFAULT_POLICY } from '../../domain/policy/policy.ts';
import { listVisibleBarriers, raiseBarrier } from '../../services/barriers.ts';
import { createLogger } from '../../services/logger.ts';
import { personById } from '../../store/directory-reads.ts';
import { addPolicy, latestPolicy } from '../../store/policy-store.ts';
import { resolveIdentity } from '../../services/identity.ts';
import { markChanged, withReadStamps } from '../../store/read-cache.ts';
import { leighRaiseBody, startTestApi, type TestApi } from '../support/api.ts';
import { stackTest } from '../support/fixtures.ts';
import { admin, gmcaTriage, localityLead } from '../support/people.ts';
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

  it('serve one barrier the same way: its own title after an action, a quiet write only once stamped', async () => {
    const id = await raise(other, 'One barrier, read by id');
    const one = async (through: TestApi) =>
      (await through.call('GET', `/api/v1/barriers/${id}`, { token: lead })).body as {
        title: string;
        timeline: { type: string }[];
      };
    const first = await one(api);
    expect(first.title).toBe('One barrier, read by id');
    // An action through the other process shows at once, timeline and all.
    const commented = await other.call('POST', `/api/v1/barriers/${id}/actions`, {
      token: lead,
      body: { type: 'comment', text: 'Seen' },
    });
    expect(commented.status).toBe(200);
    const after = await one(api);
    expect(after.timeline).toHaveLength(first.timeline.length + 1);
    // A repair by hand: the barrier and its page (README, "the read model").
    const { Barrier, BarrierPage } = stack.store.models;
    await Barrier.updateOne({ _id: id }, { $set: { title: 'Changed quietly' } });
    await BarrierPage.collection.updateOne({ _id: id } as object, {
      $set: { 'barrier.title': 'Changed quietly' },
    });
    expect((await one(api)).title).toBe('One barrier, read by id');
    await markChanged(stack.store.models, 'barriers');
    expect((await one(api)).title).toBe('Changed quietly');
    // Without its page (a barrier projected before pages), the document and timeline answer.
    await BarrierPage.deleteOne({ _id: id });
    await markChanged(stack.store.models, 'barriers');
    const fallen = await one(api);
    expect(fallen.title).toBe('Changed quietly');
    expect(fallen.timeline).toEqual(after.timeline);
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

describe('identities kept in memory', () => {
  const triage = gmcaTriage().sub;
  const queue = async (through: TestApi, token: string) =>
    (await through.call('GET', '/api/v1/triage', { token })).status;

  it('lose a role on the next request, through any API process, whoever changed the directory', async () => {
    const token = await api.token(gmcaTriage());
    const adminToken = await api.token(admin());
    // Stamped, as a directory written through the model is (so this fails without the model's hooks).
    await markChanged(stack.store.models, 'directory');
    expect(await queue(api, token)).toBe(200);
    expect(await queue(other, token)).toBe(200);
    const person = (await stack.store.models.Person.findById(triage).lean())!;

    // An admin takes the role away through the other process: refused at once through this one.
    const put = await other.call('PUT', `/api/v1/people/${triage}`, {
      token: adminToken,
      body: { name: person.name, roles: ['locality-lead'], locality: 'wigan' },
    });
    expect(put.status).toBe(200);
    expect(await queue(api, token)).toBe(403);

    // Given back by a script writing the model directly: let in again at once.
    await stack.store.models.Person.updateOne({ _id: triage }, { $set: { roles: person.roles } });
    expect(await queue(api, token)).toBe(200);
    expect(await queue(other, token)).toBe(200);
  });

  it('are served from memory: a write that bypasses the model is not seen until the directory is stamped', async () => {
    const token = await api.token(gmcaTriage());
    expect(await queue(api, token)).toBe(200);
    await stack.store.models.Person.collection.updateOne(
      { _id: triage as never },
      { $set: { roles: ['locality-lead'], locality: 'wigan' } },
    );
    expect(await queue(api, token)).toBe(200);
    await markChanged(stack.store.models, 'directory');
    expect(await queue(api, token)).toBe(403);
    await stack.store.models.Person.updateOne(
      { _id: triage },
      { $set: { roles: ['gmca-triage'], locality: null } },
    );
    expect(await queue(api, token)).toBe(200);
  });

  it('cost a request that writes nothing one read of the stamps, for its identity and its list together', async () => {
    const { models, conn } = stack.store;
    const reads: string[] = [];
    conn.set('debug', (collection: string) => {
      reads.push(collection);
    });
    try {
      await withReadStamps(models, async () => {
        const { actor } = await resolveIdentity({ models }, { email: localityLead('wigan').sub });
        await listVisibleBarriers({ models }, actor, {
          locality: 'wigan',
          sort: 'nextDeadline',
          limit: 25,
        });
      });
    } finally {
      conn.set('debug', false);
    }
    expect(reads.filter((c) => c === 'read_stamps')).toHaveLength(1);
  });
});

describe('the directory kept in memory', () => {
  const ownerOf = async (id: string) => {
    const res = await api.call('GET', `/api/v1/barriers/${id}`, { token: lead });
    expect(res.status).toBe(200);
    return res.body.owner as { email: string; reason: string };
  };

  it("routes the next raise to a neighbourhood's new lead, whichever API process changed it", async () => {
    const adminToken = await api.token(admin());
    const seeded = await ownerOf(await raise(api, 'Routed as the directory was seeded'));
    expect(seeded.reason).toBe('neighbourhood-lead');
    const wigan = (await stack.store.models.Locality.findById('wigan').lean())!;
    const newLead = wigan.leads.find((email) => email !== seeded.email)!;
    const assign = (email: string) =>
      other.call('PUT', '/api/v1/localities/wigan/neighbourhoods/leigh/assignments', {
        token: adminToken,
        body: { lead: email },
      });
    expect((await assign(newLead)).status).toBe(200);
    try {
      const next = await ownerOf(await raise(api, 'Routed after the change'));
      expect(next).toEqual({
        email: newLead,
        name: expect.any(String),
        reason: 'neighbourhood-lead',
      });
    } finally {
      expect((await assign(seeded.email)).status).toBe(200);
    }
  });

  it('raises under a new policy version at once, and reads neither locality nor policy again while nothing changed', async () => {
    const { models, conn } = stack.store;
    const current = (await latestPolicy(models, DEFAULT_POLICY.id)) ?? DEFAULT_POLICY;
    const deps = {
      client: stack.client,
      taskQueue: stack.taskQueue,
      models,
      defaultPolicy: DEFAULT_POLICY,
      logger: createLogger('test', 'warn', () => undefined),
    };
    const { actor } = await resolveIdentity({ models }, { email: localityLead('wigan').sub });
    const raiseHere = () =>
      withReadStamps(
        models,
        () =>
          raiseBarrier(deps, actor, raiseBarrierSchema.parse(leighRaiseBody('Raised in process'))),
        ['directory'],
      );
    await raiseHere();
    // Written through the model, as an admin's new version is: the next raise is under it.
    expect(await addPolicy(models, { ...current, version: current.version + 1 }, 'test')).toBe(
      true,
    );
    const id = await raiseHere();
    expect((await models.Barrier.findById(id).lean())?.policy.version).toBe(current.version + 1);

    const read: string[] = [];
    conn.set('debug', (collection: string, method: string) => {
      if (method.startsWith('find')) read.push(collection);
    });
    try {
      await raiseHere();
    } finally {
      conn.set('debug', false);
    }
    expect(read.filter((c) => c === 'localities' || c === 'policies')).toEqual([]);
  });

  it('lets a request see its own write to the directory', async () => {
    const { models } = stack.store;
    const email = localityLead('wigan').sub;
    const before = (await personById(models, email))!;
    await withReadStamps(models, async () => {
      expect((await personById(models, email))?.name).toBe(before.name);
      await models.Person.updateOne({ _id: email }, { $set: { name: 'Renamed in this request' } });
      expect((await personById(models, email))?.name).toBe('Renamed in this request');
    }, ['directory']);
    await models.Person.updateOne({ _id: email }, { $set: { name: before.name } });
  });
});
