/**
 * One webhook attempt over HTTP: a POST of the signed body, and nothing else.
 * No credentials but the signature, no redirects followed (a 3xx is a
 * failure), at most {@link MAX_RESPONSE_BYTES} of the answer read, one
 * deadline for the whole attempt, and (unless configuration allows them) no
 * loopback or private address, checked on the address actually connected to.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { MAX_RESPONSE_BYTES } from '../domain/webhooks/settings.ts';
import { isPrivateAddress } from '../domain/webhooks/url.ts';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

export interface WebhookResponse {
  /** null when no response came. */
  status: number | null;
  durationMs: number;
  /** Why it failed, in words; null for a 2xx. */
  error: string | null;
  /** The start of the answer's body, as text. */
  response: string | null;
}

/** Resolves as usual, refusing any loopback, private or link-local address. */
const publicOnly: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused)
      return callback(
        new Error(`${hostname} resolves to ${refused.address}, a private address`),
        '',
        0,
      );
    if (options.all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
};

export function postWebhook(req: WebhookRequest): Promise<WebhookResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(req.url);
  // An address written in the URL is never looked up: judge it here.
  if (!req.allowPrivate && isPrivateAddress(url.hostname))
    return Promise.resolve({
      status: null,
      response: null,
      error: `${url.hostname} is a private address`,
      durationMs: elapsed(),
    });
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<WebhookResponse, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...r, durationMs: elapsed() });
    };
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          ...req.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(req.body)),
          'user-agent': 'GoldenThread-Webhooks/1',
        },
        // A fresh connection each time: no agent's pool, no cookies, nothing carried over.
        agent: false,
        ...(req.allowPrivate ? {} : { lookup: publicOnly }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const status = res.statusCode ?? null;
        const finish = () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const ok = status !== null && status >= 200 && status < 300;
          done({
            status,
            response: text || null,
            error: ok
              ? null
              : status !== null && status >= 300 && status < 400
                ? `answered ${status} (redirects are not followed)`
                : `answered ${status}`,
          });
        };
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
          // Enough read: the status is what counts.
          else finish();
        });
        res.on('end', finish);
        res.on('error', (err) =>
          done({ status, response: null, error: `the answer broke off: ${err.message}` }),
        );
      },
    );
    const timer = setTimeout(
      () =>
        done({
          status: null,
          response: null,
          error: `no complete answer within ${req.timeoutMs} ms`,
        }),
      req.timeoutMs,
    );
    request.on('error', (err) => done({ status: null, response: null, error: err.message }));
    request.end(req.body);
  });
}
