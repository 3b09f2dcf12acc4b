/**
 * Following a barrier through the API: anyone who may see it may follow it
 * (twice is once) and unfollow it; followers hear its progress by email under
 * their delivery preference (at once, or held for the digest), never the
 * owner's reminders; those who cannot see it cannot follow it.
 */
import { describe, expect } from 'vitest';
import { leighRaiseBody } from '../support/api.ts';
import { stackTest } from '../support/fixtures.ts';
import { admin, gmcaTriage, localityLead, neighbourhoodLead } from '../support/people.ts';
import { until } from '../support/processes.ts';

const it = stackTest('follow');

describe('following a barrier', () => {
  it('is idempotent, listed, refused to those who cannot see it, and undone by unfollowing', async ({
    api,
  }) => {
    const lead = await api.token(localityLead('wigan'));
    const gmca = await api.token(gmcaTriage());
    const id = (
      await api.call('POST', '/api/v1/barriers', { token: lead, body: leighRaiseBody('F') })
    ).body.id as string;
    for (let i = 0; i < 2; i++) {
      const res = await api.call('PUT', `/api/v1/barriers/${id}/following`, { token: gmca });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        following: true,
        items: [{ email: gmcaTriage().sub, name: expect.any(String) }],
      });
    }
    const seen = await api.call('GET', `/api/v1/barriers/${id}/followers`, { token: lead });
    expect(seen.body.following).toBe(false);
    expect(seen.body.items).toHaveLength(1);
    const outsider = await api.token(neighbourhoodLead('wigan', 'wigan-central'));
    expect(
      (await api.call('PUT', `/api/v1/barriers/${id}/following`, { token: outsider })).status,
    ).toBe(404);
    expect(
      (await api.call('GET', `/api/v1/barriers/${id}/followers`, { token: outsider })).status,
    ).toBe(404);
    const undone = await api.call('DELETE', `/api/v1/barriers/${id}/following`, { token: gmca });
    expect(undone.body).toEqual({ following: false, items: [] });
  });

  it('emails followers its progress under their preference, never the reminders', async ({
    api,
    stack,
  }) => {
    const lead = await api.token(localityLead('wigan'));
    const id = (
      await api.call('POST', '/api/v1/barriers', { token: lead, body: leighRaiseBody('G') })
    ).body.id as string;
    await api.call('PUT', `/api/v1/barriers/${id}/following`, {
      token: await api.token(gmcaTriage()),
    });
    await api.call('PUT', `/api/v1/barriers/${id}/following`, { token: await api.token(admin()) });
    await stack.store.models.Person.updateOne({ _id: admin().sub }, { delivery: 'daily-digest' });

    const resolved = await api.call('POST', `/api/v1/barriers/${id}/actions`, {
      token: lead,
      body: { type: 'resolve', resolution: 'The grant manager agreed to pool it.' },
    });
    expect(resolved.status).toBe(200);
    const mail = await stack.mailbox.waitFor((m) =>
      m.some((e) => e.to.includes(gmcaTriage().sub) && e.subject.startsWith(`[${id}] Resolved`)),
    );
    const toFollower = mail.find((e) => e.to.includes(gmcaTriage().sub) && e.subject.includes(id))!;
    expect(toFollower.text).toContain('A barrier you follow was resolved by');
    expect(toFollower.text).toContain('you follow this barrier');
    // Only the update: the follower was never sent the new owner's assignment or a warning.
    expect(
      mail.filter((e) => e.to.includes(gmcaTriage().sub) && e.subject.includes(id)),
    ).toHaveLength(1);
    // A digest reader's follow-up waits for the digest.
    await until('deferred for the digest', async () =>
      Boolean(
        await stack.store.models.EmailLog.findOne({
          to: admin().sub,
          barrierId: id,
          status: 'deferred',
        }).lean(),
      ),
    );
    expect(mail.some((e) => e.to.includes(admin().sub) && e.subject.includes(id))).toBe(false);
  });
});
