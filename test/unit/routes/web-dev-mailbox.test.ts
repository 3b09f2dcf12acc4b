import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ReceivedEmail, SmtpSink } from '../../../notify/smtp-sink.ts';
import { appWithAllRoutes, getPage, leighLead, signedInAs } from '../../support/route-harness.ts';

const caught = [
  { subject: 'Older message', to: ['a@example.org'], receivedAt: new Date('2026-11-01T09:00:00Z') },
  {
    subject: 'Barrier GT-0001 escalated',
    to: ['nia.lead@example.org'],
    receivedAt: new Date('2026-11-02T09:00:00Z'),
  },
].map((m, i) => ({
  id: i + 1,
  from: 'gt@example.org',
  text: 'Body',
  html: '',
  messageId: `m${i}`,
  key: `k${i}`,
  kind: 'escalated',
  ...m,
})) as unknown as ReceivedEmail[];

/** A sink as the development server runs it, holding `caught` (oldest first). */
const sink = { messages: () => [...caught] } as unknown as SmtpSink;

describe('the development mailbox', () => {
  it('is not there unless the server runs the SMTP sink', async () => {
    const app = appWithAllRoutes(signedInAs(leighLead));
    expect((await getPage(app, '/dev/mailbox')).status).toBe(404);
    expect((await getPage(app, '/dev/mailbox.json')).status).toBe(404);
  });

  it('sends someone who is not signed in to sign in', async () => {
    const res = await request(appWithAllRoutes({}, { devMailbox: sink })).get('/dev/mailbox');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
  });

  it('shows what the sink caught, newest first', async () => {
    const res = await getPage(
      appWithAllRoutes(signedInAs(leighLead), { devMailbox: sink }),
      '/dev/mailbox',
    );
    expect(res.status).toBe(200);
    const newer = res.text.indexOf('Barrier GT-0001 escalated');
    expect(newer).toBeGreaterThan(-1);
    expect(newer).toBeLessThan(res.text.indexOf('Older message'));
    expect(res.text).toContain('nia.lead@example.org');
  });

  it('serves the messages as JSON, newest first', async () => {
    const res = await request(appWithAllRoutes({}, { devMailbox: sink })).get('/dev/mailbox.json');
    expect(res.status).toBe(200);
    expect(
      (res.body as { messages: { subject: string }[] }).messages.map((m) => m.subject),
    ).toEqual(['Barrier GT-0001 escalated', 'Older message']);
  });
});
