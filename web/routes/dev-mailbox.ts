/**
 * Development only: what `npm start`'s embedded SMTP sink caught, as a page
 * (/dev/mailbox) and as JSON (/dev/mailbox.json). Mounted only when that sink
 * runs, never in production.
 */
import { Router } from 'express';
import type { SmtpSink } from '../../notify/smtp-sink.ts';
import { london } from '../format.ts';
import type { PageKit } from '../kit.ts';

export function devMailboxRoutes(kit: PageKit, sink: SmtpSink): Router {
  const router = Router();
  router.get('/dev/mailbox.json', (_req, res) => {
    res.json({ messages: sink.messages().reverse() });
  });
  router.get(
    '/dev/mailbox',
    kit.signedIn(async (req, res) => {
      await Promise.resolve();
      kit.render(req, res, 'mailbox', {
        title: 'Development mailbox',
        messages: sink
          .messages()
          .reverse()
          .map((m) => ({
            subject: m.subject,
            to: m.to.join(', '),
            kind: m.kind,
            at: london(m.receivedAt),
            text: m.text,
          })),
      });
    }),
  );
  return router;
}
