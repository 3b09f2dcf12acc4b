import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { encodeTriageCursor } from '../../../domain/triage/cursor.ts';
import { Forbidden } from '../../../services/errors.ts';
import {
  admin,
  appWithAllRoutes,
  getPage,
  leighLead,
  signedInAs,
  storedBarrier,
  triage,
  wiganLead,
} from '../../support/route-harness.ts';

const queuePage = {
  entries: [
    {
      barrier: storedBarrier('GT-0042', { title: 'Shared records blocked', stage: 'gmca' }),
      localitiesSharing: 2,
      likelyDuplicates: [{ id: 'GT-0043', similarity: 0.9, stage: 'gmca' }],
      likelyDuplicateCount: 1,
    },
  ],
  total: 1,
  nextCursor: null,
};

describe('the triage queue', () => {
  it('sends someone who is not signed in to sign in', async () => {
    const res = await request(appWithAllRoutes({})).get('/triage');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
  });

  it.each([
    ['a locality lead', wiganLead],
    ['a neighbourhood lead', leighLead],
  ])('is a 403 page for %s, asking nothing of the queue', async (_who, who) => {
    const queue = vi.fn();
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(who), triage: { queue } }),
      '/triage',
    );
    expect(res.status).toBe(403);
    expect(queue).not.toHaveBeenCalled();
  });

  it('shows the queue from the top, with each barrier and its likely duplicates', async () => {
    const queue = vi.fn(() => Promise.resolve(queuePage));
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(triage), triage: { queue } }),
      '/triage',
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/barriers/GT-0042"');
    expect(res.text).toContain('Shared records blocked');
    expect(res.text).toContain('GT-0043');
    expect(queue).toHaveBeenCalledWith(
      expect.objectContaining(triage.actor),
      {},
      { limit: 50, cursor: undefined },
    );
  });

  it('is open to admins too', async () => {
    const queue = () => Promise.resolve(queuePage);
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(admin), triage: { queue } }),
      '/triage',
    );
    expect(res.status).toBe(200);
  });

  it('follows a cursor the queue gave, and links the next page', async () => {
    const key = {
      id: 'GT-0042',
      breached: false,
      nextDeadlineAt: 1_800_000_000_000,
      peopleAffected: null,
      localities: 1,
    };
    const queue = vi.fn(() => Promise.resolve({ ...queuePage, nextCursor: 'the-next' }));
    const app = appWithAllRoutes({ ...signedInAs(triage), triage: { queue } });
    const res = await getPage(app, `/triage?cursor=${encodeTriageCursor(key)}`);
    expect(res.status).toBe(200);
    expect(queue).toHaveBeenCalledWith(expect.anything(), {}, { limit: 50, cursor: key });
    expect(res.text).toContain('href="/triage?cursor=the-next"');
  });

  it('starts from the top for a cursor that is not one of ours', async () => {
    const queue = vi.fn(() => Promise.resolve(queuePage));
    const app = appWithAllRoutes({ ...signedInAs(triage), triage: { queue } });
    const res = await getPage(app, '/triage?cursor=not-a-cursor');
    expect(res.status).toBe(200);
    expect(queue).toHaveBeenCalledWith(expect.anything(), {}, { limit: 50, cursor: undefined });
  });

  it('shows a refusal from the service as a 403 page', async () => {
    const queue = () => Promise.reject(new Forbidden('Triage only'));
    const res = await getPage(
      appWithAllRoutes({ ...signedInAs(triage), triage: { queue } }),
      '/triage',
    );
    expect(res.status).toBe(403);
  });
});
