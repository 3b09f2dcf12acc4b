/**
 * GOV.UK Notify through notifications-node-client: one template per message
 * kind, filled from the personalisation fields the README lists.
 */
import { NotifyClient } from 'notifications-node-client';
import type { MessageKind } from '../domain/notifications/messages.ts';
import { PermanentRejection, type EmailTransport, type OutgoingEmail } from './transport.ts';

export interface NotifyTransportOptions {
  apiKey: string;
  /** Template id per message kind. */
  templates: Partial<Record<MessageKind, string>>;
  /** Notify's API (the default) or another base URL. */
  baseUrl?: string;
  emailReplyToId?: string;
}

interface NotifyError {
  response?: { status?: number; data?: { errors?: { error?: string; message?: string }[] } };
}

export function createNotifyTransport(options: NotifyTransportOptions): EmailTransport {
  const client = options.baseUrl
    ? new NotifyClient(options.baseUrl, options.apiKey)
    : new NotifyClient(options.apiKey);
  return {
    name: 'govuk-notify',
    async send(m: OutgoingEmail) {
      // A combined email lists items, as a digest does: it uses the digest's template
      // (and so does an admin's notice of a disabled webhook, in the same fields).
      const templateId =
        options.templates[
          m.kind === 'combined' || m.kind === 'webhook-disabled' ? 'digest' : m.kind
        ];
      if (!templateId) {
        // Configuration is checked at start-up; this only guards a kind added since.
        throw new Error(`no GOV.UK Notify template is configured for ${m.kind} emails`);
      }
      try {
        const res = await client.sendEmail(templateId, m.to, {
          personalisation: m.personalisation,
          reference: m.key,
          ...(options.emailReplyToId ? { emailReplyToId: options.emailReplyToId } : {}),
        });
        const id = (res.data as { id?: unknown }).id;
        return { id: typeof id === 'string' ? id : m.key };
      } catch (err) {
        const res = (err as NotifyError).response;
        // Notify: 400 means this request will never succeed (for example a bad
        // address); 403, 429 and 5xx may pass later, so they are retried.
        if (res?.status === 400) {
          const why = (res.data?.errors ?? []).map((e) => e.message ?? e.error).join('; ');
          throw new PermanentRejection(
            `${m.to} was refused by GOV.UK Notify: ${why || 'bad request'}`,
          );
        }
        throw new Error(
          `GOV.UK Notify did not take the message (${res?.status ?? (err as Error).message})`,
        );
      }
    },
    async close() {
      await Promise.resolve();
    },
  };
}
