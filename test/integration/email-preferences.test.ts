/**
 * Email preferences through the API, and what they change: a person on the
 * daily digest gets non-urgent messages in it instead of at once. Also the
 * daily digest Schedule a worker creates, idempotently.
 */
import { describe, expect } from 'vitest';
import { digestScheduleId, ensureDigestSchedule } from '../../worker/digest-schedule.ts';
import type { TestApi } from '../support/api.ts';
import { localityLead, neighbourhoodLead } from '../support/people.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';
import { until } from '../support/processes.ts';

const it = stackTest('prefs');
let stack: TestStack;
let api: TestApi;

it.beforeAll(({ stack: s, api: a }) => {
  [stack, api] = [s, a];
});
describe('GET/PUT /api/v1/me/preferences', () => {
  it('reads and changes the caller’s own delivery preference', async () => {
    const token = await api.token(neighbourhoodLead('wigan', 'leigh'));
    const before = await api.call('GET', '/api/v1/me/preferences', { token });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      delivery: 'immediate',
      alwaysImmediate: ['breached', 'escalated'],
    });

    const put = await api.call('PUT', '/api/v1/me/preferences', {
      token,
      body: { delivery: 'daily-digest' },
    });
    expect(put.status).toBe(200);
    expect(put.body.delivery).toBe('daily-digest');
    expect((await api.call('GET', '/api/v1/me/preferences', { token })).body.delivery).toBe(
      'daily-digest',
    );
  });

  it('rejects a bad preference naming the field, and changes nothing', async () => {
    const claims = localityLead('bury');
    const token = await api.token(claims);
    const bad = await api.call('PUT', '/api/v1/me/preferences', {
      token,
      body: { delivery: 'hourly' },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([
      { field: 'body.delivery', reason: 'must be one of immediate, daily-digest' },
    ]);
    const unknown = await api.call('PUT', '/api/v1/me/preferences', {
      token,
      body: { delivery: 'immediate', colour: 'blue' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('body.colour');
    const person = await stack.store.models.Person.findById(claims.sub).lean();
    expect(person?.delivery).toBe('immediate');
  });

  it('answers 403 no-access for someone not in the directory', async () => {
    const token = await api.token({ sub: 'stranger@example.org', role: 'admin' });
    const res = await api.call('GET', '/api/v1/me/preferences', { token });
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/no-access$/);
  });

  it('defers non-urgent emails for a daily-digest reader instead of sending them', async () => {
    const lead = neighbourhoodLead('wigan', 'leigh');
    await stack.store.models.Person.updateOne({ _id: lead.sub }, { delivery: 'daily-digest' });
    const raised = await api.call('POST', '/api/v1/barriers', {
      token: await api.token(localityLead('wigan')),
      body: {
        title: 'Workforce rules stop shared rota',
        description: 'Two employers, one team.',
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'workforce',
      },
    });
    expect(raised.status).toBe(201);
    const key = `${raised.body.id}:2:assigned:${lead.sub}`;
    await until('the assignment in the email log', async () =>
      Boolean(await stack.store.models.EmailLog.findById(key).lean()),
    );
    const entry = await stack.store.models.EmailLog.findById(key).lean();
    expect(entry?.status).toBe('deferred');
    expect(stack.mailbox.messages().filter((m) => m.to.includes(lead.sub))).toEqual([]);
  });
});

describe('the daily digest schedule', () => {
  it('is created once and brought up to date on every worker start', async () => {
    const taskQueue = `${stack.taskQueue}-schedule`;
    expect(await ensureDigestSchedule(stack.client, taskQueue)).toBe('created');
    expect(await ensureDigestSchedule(stack.client, taskQueue)).toBe('updated');
    const handle = stack.client.schedule.getHandle(digestScheduleId(taskQueue));
    try {
      const described = await handle.describe();
      expect(described.spec.timezone).toBe('Europe/London');
      expect(described.spec.calendars).toEqual([
        expect.objectContaining({
          hour: [{ start: 8, end: 8, step: 1 }],
          minute: [{ start: 0, end: 0, step: 1 }],
          dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
        }),
      ]);
      expect(described.action).toMatchObject({ workflowType: 'dailyDigestWorkflow', taskQueue });
      const next = described.info.nextActionTimes[0]!;
      const london = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        hour: '2-digit',
        minute: '2-digit',
        weekday: 'short',
      }).format(next);
      expect(london).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 08:00$/);
    } finally {
      await handle.delete();
    }
  });
});
