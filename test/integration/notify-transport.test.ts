/**
 * The GOV.UK Notify transport through the real notifications-node-client over
 * HTTP, against a local listener that speaks Notify's email endpoint (Notify
 * itself is not reachable from here): the template per kind, personalisation,
 * reference = idempotency key, a signed token, and how failures are classed.
 */
import { createServer, type Server } from 'node:http';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyTransport } from '../../notify/govuk-notify-transport.ts';
import { PermanentRejection, type OutgoingEmail } from '../../notify/transport.ts';

const SERVICE_ID = '11111111-2222-3333-4444-555555555555';
const SECRET = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const API_KEY = `golden_thread_test-${SERVICE_ID}-${SECRET}`;

const received: { auth: string; body: any }[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { email_address: string };
      received.push({ auth: req.headers.authorization ?? '', body });
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.url !== '/v2/notifications/email') return reply(404, {});
      if (body.email_address.startsWith('bad'))
        return reply(400, {
          status_code: 400,
          errors: [
            { error: 'ValidationError', message: 'email_address Not a valid email address' },
          ],
        });
      if (body.email_address.startsWith('busy'))
        return reply(429, {
          status_code: 429,
          errors: [{ error: 'RateLimitError', message: 'Exceeded rate limit' }],
        });
      reply(201, { id: 'notify-id-1', reference: (body as { reference?: string }).reference });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const message = (to: string): OutgoingEmail => ({
  key: 'GT-0042:3:warning:lead@example.org',
  kind: 'warning',
  to,
  subject: '[GT-0042] 4 working hours left to acknowledge: Title',
  text: 'text',
  html: '<p>html</p>',
  personalisation: { reference: 'GT-0042', headline: 'You have 4 working hours left' },
});

describe('GOV.UK Notify transport', () => {
  const transport = () =>
    createNotifyTransport({
      apiKey: API_KEY,
      templates: { warning: 'template-warning' },
      baseUrl: baseUrl,
    });

  it('sends with the kind’s template, the personalisation and the key as reference, signed by the key', async () => {
    const result = await transport().send(message('lead@example.org'));
    expect(result.id).toBe('notify-id-1');
    const last = received.at(-1)!;
    expect(last.body).toMatchObject({
      template_id: 'template-warning',
      email_address: 'lead@example.org',
      reference: 'GT-0042:3:warning:lead@example.org',
      personalisation: { reference: 'GT-0042', headline: 'You have 4 working hours left' },
    });
    const token = last.auth.replace(/^Bearer /, '');
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET));
    expect(payload.iss).toBe(SERVICE_ID);
  });

  it('classes a 400 as a permanent rejection and a 429 as worth retrying', async () => {
    await expect(transport().send(message('bad@example.org'))).rejects.toBeInstanceOf(
      PermanentRejection,
    );
    await expect(transport().send(message('bad@example.org'))).rejects.toThrow(
      /Not a valid email address/,
    );
    const busy = transport().send(message('busy@example.org'));
    await expect(busy).rejects.toThrow(/429/);
    await expect(busy).rejects.not.toBeInstanceOf(PermanentRejection);
  });
});
