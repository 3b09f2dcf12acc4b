import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { encodeTriageCursor } from '../../../domain/triage/cursor.ts';
import { Forbidden } from '../../../services/errors.ts';
import {
  appWithAllRoutes,
  authAs,
  expectProblem,
  signedInAs,
  storedBarrier,
  triage,
  wiganLead,
} from '../../support/route-harness.ts';

const escalated = storedBarrier('GT-0042', { stage: 'gmca' });
const queuePage = {
  entries: [
    {
      barrier: escalated,
      localitiesSharing: 2,
      likelyDuplicates: [{ id: 'GT-0051', similarity: 0.8, stage: 'gmca' }],
      likelyDuplicateCount: 1,
    },
  ],
  total: 7,
  nextCursor: 'next-page',
};
const urgencyKey = {
  id: 'GT-0041',
  breached: true,
  nextDeadlineAt: null,
  peopleAffected: 12,
  localities: 1,
};

describe('GET /api/v1/triage', () => {
  const queueing = () => {
    const queue = vi.fn(() => Promise.resolve(queuePage));
    return { queue, app: appWithAllRoutes({ ...signedInAs(triage), triage: { queue } }) };
  };

  it('gives the queue with sharing and duplicate hints, its total and next cursor', async () => {
    const { app } = queueing();
    const res = await request(app)
      .get('/api/v1/triage')
      .set(await authAs(triage));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 7, nextCursor: 'next-page' });
    expect(res.body.items).toEqual([
      expect.objectContaining({
        id: 'GT-0042',
        stage: 'gmca',
        localitiesSharing: 2,
        likelyDuplicates: [{ id: 'GT-0051', similarity: 0.8, stage: 'gmca' }],
        likelyDuplicateCount: 1,
      }),
    ]);
  });

  it('passes the filters, and the page size and decoded cursor apart from them', async () => {
    const { app, queue } = queueing();
    const cursor = encodeTriageCursor(urgencyKey);
    const res = await request(app)
      .get(`/api/v1/triage?locality=wigan&category=funding&limit=5&cursor=${cursor}`)
      .set(await authAs(triage));
    expect(res.status).toBe(200);
    expect(queue).toHaveBeenCalledWith(
      expect.objectContaining(triage.actor),
      { locality: 'wigan', category: 'funding' },
      { limit: 5, cursor: urgencyKey },
    );
  });

  it.each([
    ['cursor=not-a-cursor', 'query.cursor'],
    ['limit=101', 'query.limit'],
    ['locality=atlantis', 'query.locality'],
    ['focusArea=everything', 'query.focusArea'],
    ['sort=oldest', 'query.sort'],
  ])('refuses ?%s naming %s, reading nothing', async (query, field) => {
    const { app, queue } = queueing();
    const res = await request(app)
      .get(`/api/v1/triage?${query}`)
      .set(await authAs(triage));
    expectProblem(res, 400, field);
    expect(queue).not.toHaveBeenCalled();
  });

  it('is a 403 with the reason for someone outside GMCA triage', async () => {
    const refuse = () =>
      Promise.reject(new Forbidden('Only GMCA triage staff (and admins) see the triage queue.'));
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), triage: { queue: refuse } });
    const res = await request(app)
      .get('/api/v1/triage')
      .set(await authAs(wiganLead));
    expect(expectProblem(res, 403).detail).toBe(
      'Only GMCA triage staff (and admins) see the triage queue.',
    );
  });
});
