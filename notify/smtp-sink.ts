/**
 * An SMTP listener that keeps what it receives: the development mailbox of
 * `npm start`, and the real SMTP server the tests send to.
 *
 * A message counts as delivered only once the sink has answered 250 to its
 * DATA, as in any SMTP server; the knobs let tests refuse connections, refuse
 * recipients, or hold a send mid-conversation.
 */
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface ReceivedEmail {
  id: number;
  receivedAt: Date;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** The X-Golden-Thread-Key header. */
  key: string;
  /** The X-Golden-Thread-Kind header. */
  kind: string;
}

export interface SmtpSinkOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Keep at most this many messages, dropping the oldest (default 1000). */
  limit?: number;
  /** Answer 421 to new connections while this returns true. */
  refuse?: () => boolean;
  /** Answer 550 to these recipients. */
  rejectRecipient?: (address: string) => boolean;
  /** Awaited before a recipient is answered: holds a send mid-conversation. */
  beforeRecipient?: (address: string) => Promise<void>;
}

export interface SmtpSink {
  readonly url: string;
  readonly port: number;
  messages(): ReceivedEmail[];
  clear(): void;
  /** Resolves once `predicate` holds for the messages received, or rejects after `timeoutMs`. */
  waitFor(
    predicate: (messages: ReceivedEmail[]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedEmail[]>;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const host = options.host ?? '127.0.0.1';
  const limit = options.limit ?? 1000;
  const received: ReceivedEmail[] = [];
  const waiters = new Set<() => void>();
  let nextId = 1;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'Golden Thread SMTP sink',
    onConnect(_session, callback) {
      if (options.refuse?.()) callback(smtpError(421, 'Service not available, try again later'));
      else callback();
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      void (async () => {
        await options.beforeRecipient?.(address.address);
        if (options.rejectRecipient?.(address.address)) {
          callback(smtpError(550, `No such mailbox: ${address.address}`));
        } else callback();
      })();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err: Error) => callback(err));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void (async () => {
          try {
            const mail = await simpleParser(raw);
            const header = (name: string) => {
              const v = mail.headers.get(name);
              return typeof v === 'string' ? v : '';
            };
            const addresses = (v: typeof mail.to) =>
              (Array.isArray(v) ? v : v ? [v] : []).flatMap((a) =>
                a.value.map((x) => x.address ?? ''),
              );
            received.push({
              id: nextId++,
              receivedAt: new Date(),
              from: mail.from?.value[0]?.address ?? '',
              to: addresses(mail.to),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
              key: header('x-golden-thread-key'),
              kind: header('x-golden-thread-kind'),
            });
            if (received.length > limit) received.splice(0, received.length - limit);
            callback();
            for (const w of waiters) w();
          } catch (err) {
            callback(err as Error);
          }
        })();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  // Client disconnects and the like are not the sink's concern.
  server.on('error', () => undefined);
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `smtp://${host}:${port}`,
    port,
    messages: () => [...received],
    clear: () => received.splice(0, received.length),
    waitFor(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(received)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve([...received]);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for emails; received: ${received.map((m) => `${m.kind}→${m.to.join(',')}`).join(' ') || 'none'}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
