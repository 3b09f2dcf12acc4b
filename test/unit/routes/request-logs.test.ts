/**
 * What the API writes to its log about a request, and the request id every
 * answer carries: an operator can join a complaint ("request 4f…") to its log
 * lines, and nothing that would let someone act as the caller reaches the log.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../services/logger.ts';
import { SESSION_COOKIE } from '../../../web/session.ts';
import {
  SECRET,
  appWithAllRoutes,
  authAs,
  signedInAs,
  storedBarrier,
  wiganLead,
} from '../../support/route-harness.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COOKIE_VALUE = 'session-cookie-value-that-must-not-be-logged';
const DESCRIPTION = 'Partners cannot see each other’s case notes (a body, not for the log).';

/** The app over fakes, logging at debug into `lines`; raising works, reading a barrier fails unexpectedly. */
function loggedApp() {
  const lines: string[] = [];
  const page = { barrier: storedBarrier('GT-0042'), timeline: [] };
  const app = appWithAllRoutes(
    {
      ...signedInAs(wiganLead),
      barriers: {
        raise: () => Promise.resolve('GT-0042'),
        reread: () => Promise.resolve(page),
        visible: () => Promise.reject(new Error('the read model went away')),
      },
    },
    { logger: createLogger('api', 'debug', (l) => lines.push(l)) },
  );
  return { app, lines };
}

describe('the request log', () => {
  it('names each request by its id and never holds the token, the cookie, the secret or the body', async () => {
    const { app, lines } = loggedApp();
    const auth = await authAs(wiganLead);
    const token = auth.Authorization.replace('Bearer ', '');
    const cookie = `${SESSION_COOKIE}=${COOKIE_VALUE}`;
    const raised = await request(app)
      .post('/api/v1/barriers')
      .set(auth)
      .set('Cookie', cookie)
      .send({
        title: 'No shared case notes',
        description: DESCRIPTION,
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'data-sharing',
      });
    expect(raised.status).toBe(201);
    // An unexpected failure is logged with its stack: that line too must hold nothing secret.
    const failed = await request(app)
      .get('/api/v1/barriers/GT-0042')
      .set(auth)
      .set('Cookie', cookie);
    expect(failed.status).toBe(500);

    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const ids = [raised, failed].map((r) => r.headers['x-request-id'] as string);
    expect(ids[0]).toMatch(UUID);
    expect(ids[1]).toMatch(UUID);
    expect(ids[0]).not.toBe(ids[1]);
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: 'request', status: 201, requestId: ids[0] }),
    );
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: 'unhandled error', requestId: ids[1] }),
    );
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: 'request', status: 500, requestId: ids[1] }),
    );
    const all = lines.join('\n');
    for (const secret of [token, COOKIE_VALUE, SECRET, DESCRIPTION, 'Bearer'])
      expect(all).not.toContain(secret);
  });
});

describe('X-Request-Id', () => {
  const app = loggedApp().app;
  const idFor = async (given?: string) => {
    const req = request(app).get('/healthz');
    const res = await (given === undefined ? req : req.set('X-Request-Id', given));
    return res.headers['x-request-id'] as string;
  };

  it("keeps a caller's sane id, so both ends name the request alike", async () => {
    expect(await idFor('01JEXAMPLE7Q3ZC9ND1V0R4K2M')).toBe('01JEXAMPLE7Q3ZC9ND1V0R4K2M');
    expect(await idFor('lb-1:req.42_a')).toBe('lb-1:req.42_a');
  });

  it('gives a new one for none, or for one that could forge a log line or grow without end', async () => {
    for (const given of [undefined, '', 'a b', '"},{"level":"error', 'x'.repeat(129)])
      expect(await idFor(given)).toMatch(UUID);
  });
});
