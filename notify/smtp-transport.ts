/** SMTP through nodemailer: any relay named by `SMTP_URL`. */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { PermanentRejection, type EmailTransport, type OutgoingEmail } from './transport.ts';

export interface SmtpTransportOptions {
  url: string;
  from: string;
  /** Verify the relay's certificate (default true). */
  tlsRejectUnauthorized?: boolean;
}

/** A Message-ID derived from the key, so a receiving system can recognise a repeat. */
export function messageId(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@golden-thread>`;
}

/** Refusals of the recipient itself (5xx to RCPT TO, or no valid recipient) never succeed. */
function isPermanent(err: unknown): boolean {
  const e = err as { responseCode?: number; command?: string; code?: string };
  if (e.code === 'EENVELOPE' && (e.responseCode === undefined || e.responseCode >= 500)) {
    return true;
  }
  return (
    typeof e.responseCode === 'number' &&
    e.responseCode >= 500 &&
    e.responseCode < 600 &&
    (e.command ?? '').toUpperCase().startsWith('RCPT')
  );
}

/** nodemailer's connection options for an `smtp://` or `smtps://` URL. */
export function smtpConnection(url: string) {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username
      ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
      : undefined,
  };
}

/** What nodemailer's SMTP transport reports for a message it handed over. */
interface SentInfo {
  accepted: unknown[];
  rejected: unknown[];
  response: string;
  messageId: string;
}

export function createSmtpTransport(options: SmtpTransportOptions): EmailTransport {
  const transporter = nodemailer.createTransport({
    ...smtpConnection(options.url),
    pool: true,
    maxConnections: 5,
    tls: { rejectUnauthorized: options.tlsRejectUnauthorized ?? true },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    name: 'smtp',
    async send(m: OutgoingEmail) {
      try {
        const info = (await transporter.sendMail({
          from: options.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: messageId(m.key),
          headers: { 'X-Golden-Thread-Key': m.key, 'X-Golden-Thread-Kind': m.kind },
        })) as SentInfo;
        if (info.rejected.length > 0 && info.accepted.length === 0) {
          throw new PermanentRejection(`${m.to} was refused: ${info.response}`);
        }
        return { id: info.messageId };
      } catch (err) {
        if (err instanceof PermanentRejection) throw err;
        if (isPermanent(err)) {
          throw new PermanentRejection(`${m.to} was refused: ${(err as Error).message}`);
        }
        throw err;
      }
    },
    async close() {
      transporter.close();
      await Promise.resolve();
    },
  };
}
