/**
 * Route tests without servers: the whole HTTP composition (createApp) handed
 * fake services, as the hmpps template's `appWithAllRoutes` does. A service
 * method a test did not fake fails loudly, naming itself, so a test says
 * exactly what its route asks for.
 */
import type { Express } from 'express';
import { expect } from 'vitest';

import request from 'supertest';
import { barrierDocument } from '../../activities/projection.ts';
import { signToken } from '../../auth/tokens.ts';
import type { Actor } from '../../domain/barrier/types.ts';
import type { Role } from '../../domain/reference-data.ts';
import type { Services } from '../../services/create-services.ts';
import type { Logger } from '../../services/logger.ts';
import type { SmtpSink } from '../../notify/smtp-sink.ts';
import { createApp } from '../../server/app.ts';
import { PRE_SESSION_COOKIE, SESSION_COOKIE, csrfTokenFor } from '../../web/session.ts';
import type { BarrierView } from '../../workflows/barrier/definitions.ts';
import { barrierView } from './views.ts';

export const SECRET = 'route-tests-secret';

/** Services with some methods given; any other method throws when called. */
export type FakeServices = { [K in keyof Services]?: Partial<Services[K]> };

/** Quiet, except that a server error is printed: a route test should never cause one unawares. */
const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (message, fields) => console.error(message, fields),
};

/** What every request touches, faked as nothing: no session, the read model's stamps not read. */
const PLUMBING: FakeServices = {
  requests: { withReadStamps: (fn) => fn() },
  sessions: { live: () => Promise.resolve(null) },
};

/** The fakes as a whole Services object: an unfaked method throws, naming itself. */
export function fakeServices(given: FakeServices): Services {
  return new Proxy({} as Services, {
    get(_target, area: string) {
      const methods = {
        ...(PLUMBING as Record<string, Record<string, unknown> | undefined>)[area],
        ...(given as Record<string, Record<string, unknown> | undefined>)[area],
      };
      return new Proxy(methods, {
        get(m, name: string) {
          if (name in m) return m[name];
          if (name === 'then') return undefined;
          return () => {
            throw new Error(`services.${area}.${name} was called but the test did not fake it`);
          };
        },
      });
    },
  });
}

/** The app as the API process builds it, over fake services. */
export function appWithAllRoutes(
  given: FakeServices,
  options: {
    production?: boolean;
    logger?: Logger;
    devMailbox?: SmtpSink;
    /** Requests a minute a client may make (default: no limit). */
    perMinute?: number;
  } = {},
): Express {
  return createApp({
    devMailbox: options.devMailbox,
    services: fakeServices(given),
    logger: options.logger ?? quiet,
    authSecret: SECRET,
    production: options.production,
    checkResponses: true,
    rateLimits: { perMinute: options.perMinute ?? 0, signInPerMinute: 0 },
    readiness: { temporal: () => Promise.resolve(true), database: () => Promise.resolve(true) },
  });
}

/** A person as the directory makes them, for a test. */
export interface TestPerson {
  actor: Actor;
  name: string;
  roles: Role[];
}

export const person = (actor: Actor, name = 'Test Person', roles: Role[] = [actor.role]) => ({
  actor,
  name,
  roles,
});

export const admin = person({ email: 'ada.admin@example.org', role: 'admin' }, 'Ada Admin');
export const triage = person(
  { email: 'tom.triage@example.org', role: 'gmca-triage' },
  'Tom Triage',
);
export const wiganLead = person(
  { email: 'leah.walsh@example.org', role: 'locality-lead', locality: 'wigan' },
  'Leah Walsh',
);
export const leighLead = person(
  {
    email: 'nia.lead@example.org',
    role: 'neighbourhood-lead',
    locality: 'wigan',
    neighbourhood: 'leigh',
  },
  'Nia Lead',
);

/** Identity fakes that let `who` in, whatever credential is shown. */
export function signedInAs(who: TestPerson): Pick<FakeServices, 'identity' | 'sessions'> {
  return {
    identity: { resolve: () => Promise.resolve(who) },
    sessions: {
      live: (id) =>
        Promise.resolve(
          id === PAGE_SESSION
            ? {
                _id: 'hashed',
                email: who.actor.email,
                via: 'development',
                createdAt: new Date(),
                lastSeenAt: new Date(),
              }
            : null,
        ),
    },
  };
}

/** The cookie value a signed-in page test sends. */
export const PAGE_SESSION = 'a-page-session-id';

/** Headers of a signed-in browser: its session cookie. */
export const pageCookie = `${SESSION_COOKIE}=${PAGE_SESSION}`;

/** The CSRF token that browser's forms carry. */
export const pageCsrf = csrfTokenFor(PAGE_SESSION, SECRET);

/** A browser before sign-in: its pre-session cookie, and the CSRF token its sign-in form carries. */
const PRE_SESSION = 'a-pre-session-id';
export const preSessionCookie = `${PRE_SESSION_COOKIE}=${PRE_SESSION}`;
export const preSessionCsrf = csrfTokenFor(PRE_SESSION, SECRET);

/** A signed-in browser's GET of a page. */
export const getPage = (app: Express, path: string) =>
  request(app).get(path).set('Cookie', pageCookie);

/**
 * A browser's form post (urlencoded as a browser sends it: a repeated field
 * repeats its name). Give `_csrf` yourself: leaving it out is a test too.
 */
export const postForm = (
  app: Express,
  path: string,
  form: Record<string, string | string[]>,
  cookie = pageCookie,
) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form))
    for (const x of ([] as string[]).concat(v)) body.append(k, x);
  return request(app).post(path).set('Cookie', cookie).type('form').send(body.toString());
};

/**
 * Which fields a page marks as wrong: the ids the GOV.UK error summary links
 * to, and the ids of the fields showing an error message (`<id>-error`).
 */
export function pageErrors(html: string): { summary: string[]; fields: string[] } {
  const list = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return {
    summary: [...list.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!),
    fields: [...html.matchAll(/id="([^"]+)-error" class="govuk-error-message"/g)].map((m) => m[1]!),
  };
}

/** The value a text input or textarea with this id shows. */
export function fieldValue(html: string, id: string): string | undefined {
  const input = new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(html)?.[0];
  if (input) return /value="([^"]*)"/.exec(input)?.[1];
  return new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1];
}

/** A development bearer token for `who` (its identity comes from the faked directory). */
export async function bearerFor(who: TestPerson): Promise<string> {
  const { actor } = who;
  return `Bearer ${await signToken(SECRET, {
    sub: actor.email,
    role: actor.role,
    ...(actor.locality ? { locality: actor.locality as never } : {}),
    ...(actor.neighbourhood ? { neighbourhood: actor.neighbourhood } : {}),
  })}`;
}

/** A stored barrier as the read model holds it: open at the neighbourhood stage in Leigh, Wigan. */
export function storedBarrier(
  id = 'GT-0001',
  over: Partial<BarrierView> = {},
): Awaited<ReturnType<Services['barriers']['visible']>> {
  const doc = barrierDocument('barrier-' + id, barrierView(id, 'nia.lead@example.org', {}, over));
  return { ...doc, _id: id, everBreached: false, projectedAt: new Date() } as never;
}

/** An answer as supertest gives it: enough to check a problem. */
interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/**
 * Checks that `res` is a problem+json refusal with `status` and, when given, that
 * it names `field` among its errors; returns the problem for further checks.
 */
export function expectProblem(
  res: Answer,
  status: number,
  field?: string,
): { type: string; detail: string; errors?: { field: string; reason: string }[] } {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = res.body as ReturnType<typeof expectProblem>;
  expect(problem).toMatchObject({ status });
  if (field !== undefined) expect(problem.errors?.map((e) => e.field)).toContain(field);
  return problem;
}

/** The Authorization header of an API call made by `who`. */
export const authAs = async (who: TestPerson) => ({ Authorization: await bearerFor(who) });

/** The value of the option a select with this id has selected. */
export function selectedOption(html: string, id: string): string | undefined {
  const select = new RegExp(`<select[^>]*id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1];
  return select && /<option value="([^"]*)" selected/.exec(select)?.[1];
}

/** The filename a response offers as a CSV download; undefined when it is not one. */
export function csvDownload(res: { headers: Record<string, string | undefined> }) {
  if (!/^text\/csv/.test(res.headers['content-type'] ?? '')) return undefined;
  return /^attachment; filename="?([^"]+)"?$/.exec(res.headers['content-disposition'] ?? '')?.[1];
}
