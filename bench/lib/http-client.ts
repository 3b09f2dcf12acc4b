/**
 * The benchmark's HTTP client: node:http over kept-alive connections.
 *
 * The bench's clients share the machine with the servers they measure, where
 * real clients (browsers, other services) would not. Node's fetch cost 0.25–0.7
 * ms of CPU a call here against 0.06–0.2 ms for node:http (4,000 calls, ten at
 * a time, to a bare server), so with fetch the clients took a quarter of a
 * cached read's CPU from the servers they were timing. Every row uses this
 * client, the bare express GET included, so the rows stay comparable.
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface HttpAnswer {
  status: number;
  text: string;
}

/** One request, its whole answer read. */
export function httpRequest(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers:
          body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
