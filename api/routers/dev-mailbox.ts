/**
 * /dev/mailbox.json: the messages `npm start`'s embedded SMTP sink holds (the
 * page is /dev/mailbox, in web/). Development only: mounted only when that
 * sink runs, never in production.
 */
import { Router } from 'express';
import type { SmtpSink } from '../../notify/smtp-sink.ts';

export function devMailboxRouter(sink: SmtpSink): Router {
  const router = Router();
  router.get('/dev/mailbox.json', (_req, res) => {
    res.json({ messages: sink.messages().reverse() });
  });
  return router;
}
