/**
 * A reminder never arrives after the instant it warns about. At the gmca stage
 * a missed deadline changes no stage, so only the deadline itself can tell a
 * delayed warning (an SMTP outage held it back) that it is too late: it is
 * recorded as superseded and not sent.
 */
import { describe, expect } from 'vitest';
import { createNotificationActivities } from '../../activities/notifications.ts';
import { barrierDocument } from '../../activities/projection.ts';
import type { TimelineEvent } from '../../domain/barrier/types.ts';
import { createSmtpTransport } from '../../notify/smtp-transport.ts';
import { stackTest } from '../support/fixtures.ts';
import { gmcaTriage } from '../support/people.ts';
import { until } from '../support/processes.ts';
import { TEST_BASE_URL } from '../support/stack.ts';
import { barrierView } from '../support/views.ts';

const it = stackTest('stale-warnings', { worker: false });

describe('a warning held back past its deadline', () => {
  it('is dropped as superseded, while one still in time is sent', async ({ stack }) => {
    const transport = createSmtpTransport({ url: stack.mailbox.url, from: 'GT <gt@example.org>' });
    const notifications = createNotificationActivities({
      models: stack.store.models,
      transport,
      publicBaseUrl: TEST_BASE_URL,
    });
    const owner = gmcaTriage().sub;
    const warning = (id: string, dueAt: number): TimelineEvent => ({
      seq: 7,
      at: dueAt - 2_000,
      type: 'warning',
      stage: 'gmca',
      actor: 'system',
      details: { clock: 'acknowledge', fraction: 0.8, dueAt, remainingMs: 2_000, owner },
    });
    const atGmca = (id: string) =>
      barrierView(
        id,
        owner,
        { stage: 'gmca' },
        { stage: 'gmca', owner: { email: owner, name: 'GMCA', reason: 'gmca-triage' } },
      );
    try {
      for (const id of ['GT-9100001', 'GT-9100002']) {
        await stack.store.models.Barrier.collection.insertOne({
          ...barrierDocument('w', atGmca(id)),
          projectedAt: new Date(),
        } as never);
      }
      const late = await notifications.notifyBarrier({
        view: atGmca('GT-9100001'),
        events: [warning('GT-9100001', Date.now() - 1_000)],
      });
      const inTime = await notifications.notifyBarrier({
        view: atGmca('GT-9100002'),
        events: [warning('GT-9100002', Date.now() + 60_000)],
      });
      expect(late.rejected).toEqual([]);
      expect(inTime.rejected).toEqual([]);
      await until('the warning in time arrives', () =>
        stack.mailbox.messages().some((m) => m.subject.startsWith('[GT-9100002]')),
      );
      expect(stack.mailbox.messages().filter((m) => m.subject.startsWith('[GT-9100001]'))).toEqual(
        [],
      );
      const logged = await stack.store.models.EmailLog.find({ barrierId: /^GT-91000/ }).lean();
      expect(Object.fromEntries(logged.map((e) => [e.barrierId, e.status]))).toEqual({
        'GT-9100001': 'superseded',
        'GT-9100002': 'sent',
      });
    } finally {
      await transport.close();
    }
  });
});
