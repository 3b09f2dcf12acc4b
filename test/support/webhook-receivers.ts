/**
 * Real HTTP webhook receivers on loopback for tests: each verifies the
 * Standard Webhooks signature with the `standardwebhooks` library, as a
 * subscriber would, and records what it received. Behaviours: answer at once,
 * fail the first N requests, never answer, answer slowly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  type: string;
  subjectId: string;
  seq: number;
  kind: string;
  at: number;
  /** When it arrived (epoch ms). */
  receivedAt: number;
}

export interface Receiver {
  url: string;
  /** Secrets it verifies with (set after the subscription is made); any one verifying is enough. */
  secrets: string[];
  /** Every request, verified or not, in arrival order: its webhook-id and how it was answered. */
  requests: {
    id: string;
    answered: number | null;
    verified: boolean;
    body: string;
    headers: Record<string, string>;
  }[];
  /** Events it accepted (verified and answered 2xx), in arrival order. */
  accepted: Received[];
  close(): Promise<void>;
}

export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'fail-first'; failures: number }
  | { kind: 'never-answer' }
  | { kind: 'slow'; delayMs: number };

export async function startReceiver(behaviour: Behaviour): Promise<Receiver> {
  const receiver: Omit<Receiver, 'url' | 'close'> = { secrets: [], requests: [], accepted: [] };
  const held: ServerResponse[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
    );
    const id = headers['webhook-id'] ?? '';
    let payload: any = null;
    for (const secret of receiver.secrets) {
      try {
        payload = new Webhook(secret).verify(body, headers);
        break;
      } catch {
        /* try the next secret */
      }
    }
    const entry = {
      id,
      answered: null as number | null,
      verified: payload !== null,
      body,
      headers,
    };
    receiver.requests.push(entry);
    if (behaviour.kind === 'never-answer') {
      held.push(res);
      return;
    }
    if (behaviour.kind === 'fail-first' && receiver.requests.length <= behaviour.failures) {
      entry.answered = 500;
      res.writeHead(500).end('not yet');
      return;
    }
    if (behaviour.kind === 'slow') await new Promise((r) => setTimeout(r, behaviour.delayMs));
    if (!payload) {
      entry.answered = 401;
      res.writeHead(401).end('bad signature');
      return;
    }
    const subject = payload.data.barrier ?? payload.data.ask;
    receiver.accepted.push({
      id,
      type: payload.type,
      subjectId: subject.id,
      seq: payload.data.event.seq,
      kind: payload.data.event.kind,
      at: Date.parse(payload.data.event.at),
      receivedAt: Date.now(),
    });
    entry.answered = 204;
    res.writeHead(204).end();
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks`,
    async close() {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
