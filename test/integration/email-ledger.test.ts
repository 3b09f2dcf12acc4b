/**
 * The email ledger on a real database and a real SMTP listener: a message
 * goes once whatever repeats it, a live claim holds another sender off until
 * its lease runs out, an overtaken reminder is recorded and not sent, and a
 * deferred message is recorded once.
 */
import { afterAll, describe, expect } from 'vitest';
import { createEmailLedger, SendInProgress } from '../../activities/email-ledger.ts';
import { createSmtpTransport } from '../../notify/smtp-transport.ts';
import type { OutgoingEmail } from '../../notify/transport.ts';
import { until } from '../support/processes.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

const it = stackTest('email-ledger', { stack: { seed: false }, worker: false });
let stack: TestStack;
let transport: ReturnType<typeof createSmtpTransport>;
it.beforeAll(({ stack: s }) => {
  stack = s;
  transport = createSmtpTransport({ url: stack.mailbox.url, from: 'GT <gt@example.org>' });
});
afterAll(async () => {
  await transport?.close();
});

const message = (key: string): OutgoingEmail => ({
  key,
  kind: 'assigned',
  to: 'reader@example.org',
  subject: `[GT-0001] ${key}`,
  text: 'text',
  html: '<p>text</p>',
  personalisation: {},
});
const received = (key: string) =>
  stack.mailbox.messages().filter((m) => m.subject === `[GT-0001] ${key}`).length;

describe('the email ledger', () => {
  it('sends a message once, however often it is asked to', async () => {
    const ledger = createEmailLedger({ log: stack.store.models.EmailLog, transport });
    expect(await ledger.deliverOnce(message('once'), { barrierId: 'GT-0001' })).toBe('sent');
    expect(await ledger.deliverOnce(message('once'), { barrierId: 'GT-0001' })).toBe(
      'already-done',
    );
    await until('the message arrives', () => received('once') === 1, 10_000);
    const entry = await stack.store.models.EmailLog.findById('once').lean();
    expect(entry).toMatchObject({ status: 'sent', attempts: 1, claim: null });
  });

  it('leaves a live claim alone and takes over one whose lease has run out', async () => {
    const { EmailLog } = stack.store.models;
    const ledger = createEmailLedger({ log: EmailLog, transport, leaseMs: 1_000 });
    const held = (key: string, until: Date) =>
      EmailLog.create({
        _id: key,
        kind: 'assigned',
        to: 'reader@example.org',
        status: 'sending',
        claim: { activityKey: 'another-worker', attempt: 1, until },
        attempts: 1,
        createdAt: new Date(),
      });
    await held('live', new Date(Date.now() + 60_000));
    await expect(ledger.deliverOnce(message('live'), {})).rejects.toBeInstanceOf(SendInProgress);
    expect(received('live')).toBe(0);

    await held('expired', new Date(Date.now() - 1));
    expect(await ledger.deliverOnce(message('expired'), {})).toBe('sent');
    await until('the message arrives', () => received('expired') === 1, 10_000);
    expect(await EmailLog.findById('expired').lean()).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
  });

  it('records an overtaken reminder as superseded and a deferred message once, sending neither', async () => {
    const { EmailLog } = stack.store.models;
    const ledger = createEmailLedger({ log: EmailLog, transport });
    expect(await ledger.deliverOnce(message('stale'), {}, () => Promise.resolve(false))).toBe(
      'superseded',
    );
    expect(await ledger.defer(message('later'), 'GT-0001')).toBe('deferred');
    expect(await ledger.defer(message('later'), 'GT-0001')).toBe('already-done');
    expect((await EmailLog.findById('stale').lean())?.status).toBe('superseded');
    expect((await EmailLog.findById('later').lean())?.status).toBe('deferred');
    expect(received('stale') + received('later')).toBe(0);
  });
});
