/**
 * The transport configuration asks for: GOV.UK Notify when NOTIFY_API_KEY is
 * set, else SMTP when SMTP_URL is set, else (development only) the console.
 */
import type { Config } from '../config.ts';
import { createNotifyTransport } from './govuk-notify-transport.ts';
import { createSmtpTransport } from './smtp-transport.ts';
import type { EmailTransport } from './transport.ts';

/** Development without a relay: each message is a line on stdout. */
export function createConsoleTransport(): EmailTransport {
  return {
    name: 'console',
    async send(m) {
      console.log(`[email] ${m.kind} to ${m.to}: ${m.subject}`);
      return Promise.resolve({ id: m.key });
    },
    close: () => Promise.resolve(),
  };
}

export function createTransportFromConfig(
  config: Pick<Config, 'env' | 'smtpUrl' | 'notifyApiKey' | 'email'>,
): EmailTransport {
  if (config.notifyApiKey) {
    return createNotifyTransport({
      apiKey: config.notifyApiKey,
      templates: config.email.notifyTemplates,
      baseUrl: config.email.notifyBaseUrl,
      emailReplyToId: config.email.notifyReplyToId,
    });
  }
  if (config.smtpUrl) {
    return createSmtpTransport({
      url: config.smtpUrl,
      from: config.email.from,
      tlsRejectUnauthorized: config.email.smtpTlsRejectUnauthorized,
    });
  }
  // The configuration schema already refuses production without a transport.
  return createConsoleTransport();
}
