/**
 * Ports handed to servers started later (npm start, the bench, the e2e tests)
 * must not be ones an outgoing connection can take first: a CI run failed when
 * FerretDB's chosen port had become a client socket's local port.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ephemeralPortRange, freePort } from '../../scripts/servers/process.ts';

describe('freePort', () => {
  it('chooses ports below the range outgoing connections use, and a server can listen on them', async () => {
    const [low] = ephemeralPortRange();
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) expect(port).toBeLessThan(low);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
