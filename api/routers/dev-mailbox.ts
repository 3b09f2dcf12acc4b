/**
 * /dev/mailbox: the messages `npm start`'s embedded SMTP sink holds.
 * Development only: mounted only when that sink runs, never in production.
 */
import { Router } from 'express';
import type { SmtpSink } from '../../notify/smtp-sink.ts';
import { escapeHtml } from '../../notify/templates.ts';

export function devMailboxRouter(sink: SmtpSink): Router {
  const router = Router();
  router.get('/dev/mailbox.json', (_req, res) => {
    res.json({ messages: sink.messages().reverse() });
  });
  router.get('/dev/mailbox', (_req, res) => {
    const messages = sink.messages().reverse();
    const rows = messages
      .map(
        (m) => `<article>
<h2>${escapeHtml(m.subject)}</h2>
<p>To ${escapeHtml(m.to.join(', '))} · ${escapeHtml(m.kind)} · ${escapeHtml(m.receivedAt.toISOString())}</p>
<pre>${escapeHtml(m.text)}</pre>
</article>`,
      )
      .join('\n');
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Development mailbox – Golden Thread</title></head>
<body>
<h1>Development mailbox</h1>
<p>${messages.length} message${messages.length === 1 ? '' : 's'} caught by the embedded SMTP sink (newest first). Nothing here was sent to anyone.</p>
${rows}
</body></html>`);
  });
  return router;
}
