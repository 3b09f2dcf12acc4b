/**
 * Telling the admins that a webhook subscription was disabled: one email to
 * each admin in the directory, through the email ledger under a key of the
 * subscription and the moment it was disabled, so a retried activity sends
 * nothing twice and a later disabling is told again.
 */
import { WEBHOOK_DISABLED_KIND } from '../domain/notifications/coalesce.ts';
import { renderWebhookDisabled } from '../notify/templates.ts';
import type { Models } from '../store/models.ts';
import type { createEmailLedger } from './email-ledger.ts';

export interface DisabledSubscription {
  id: string;
  name: string;
  url: string;
  reason: string;
  /** When it was disabled: part of each email's key. */
  disabledAt: Date;
}

export function createWebhookAdminMailer(deps: {
  models: Models;
  ledger: ReturnType<typeof createEmailLedger>;
  publicBaseUrl: string;
}) {
  return async (s: DisabledSubscription): Promise<void> => {
    const admins = await deps.models.Person.find(
      { roles: 'admin', kind: { $ne: 'service' } },
      { name: 1 },
    ).lean();
    const link = `${deps.publicBaseUrl}/admin/webhooks/${s.id}`;
    for (const admin of admins) {
      const message = renderWebhookDisabled({
        recipient: { email: admin._id, name: admin.name },
        subscription: s,
        link,
      });
      await deps.ledger.deliverOnce(
        {
          key: `webhook-disabled:${s.id}:${s.disabledAt.getTime()}:${admin._id}`,
          kind: WEBHOOK_DISABLED_KIND,
          to: admin._id,
          ...message,
        },
        {},
      );
    }
  };
}
