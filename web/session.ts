/**
 * Sessions for the pages. The cookie carries only a random session id; the
 * server keeps the session (its SHA-256 is the key, so a leaked copy of the
 * collection signs nobody in), who it is for, and when it was last used. A
 * session ends when idle too long, when it reaches its absolute limit, on
 * sign-out, or when an admin removes the person's access. What the person may
 * do is not in the session: the directory is read on every request.
 *
 * CSRF: every form carries `_csrf`, an HMAC of the session cookie (or, before
 * sign-in, of a random pre-session cookie) under AUTH_SECRET. A cross-site
 * page can neither read the cookie nor compute the HMAC, so it cannot forge one.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Services } from '../services/create-services.ts';
import type { SessionLimits, SessionStart } from '../services/sessions.ts';
import { oncePerRequest } from '../auth/once-per-request.ts';

export const SESSION_COOKIE = 'gt_session';
export const PRE_SESSION_COOKIE = 'gt_pre';
/** Carries state, nonce and PKCE verifier to the provider and back (signed, ten minutes). */
export const PENDING_SIGN_IN_COOKIE = 'gt_oidc';

/** The request's cookies, parsed (no dependency needed for this much). */
export function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) {
      try {
        out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        /* a malformed cookie is ignored */
      }
    }
  }
  return out;
}

export interface SessionOptions extends SessionLimits {
  secret: string;
  /** Send cookies only over HTTPS (production). */
  secure: boolean;
}

const cookieOptions = (o: Pick<SessionOptions, 'secure'>) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: o.secure,
  path: '/',
});

type LiveSession = Awaited<ReturnType<Services['sessions']['live']>>;
const looked = oncePerRequest<LiveSession>();

/**
 * The live session this request's cookie names, or null, read once per
 * request (the rate limiter and the pages both ask).
 */
export function currentSession(
  services: Pick<Services, 'sessions'>,
  req: Request,
  o: SessionOptions,
): Promise<LiveSession> {
  return looked(req, () => services.sessions.live(cookies(req)[SESSION_COOKIE], o));
}

/** Starts a session for `email` and sets its cookie. */
export async function openSession(
  services: Pick<Services, 'sessions'>,
  res: Response,
  who: SessionStart,
  o: SessionOptions,
): Promise<void> {
  const id = await services.sessions.create(who);
  res.cookie(SESSION_COOKIE, id, { ...cookieOptions(o), maxAge: o.maxHours * 3_600_000 });
}

/** Ends this request's session (if any) and clears its cookie; returns it, for the provider's sign-out. */
export async function closeSession(
  services: Pick<Services, 'sessions'>,
  req: Request,
  res: Response,
  o: SessionOptions,
) {
  const id = cookies(req)[SESSION_COOKIE];
  res.clearCookie(SESSION_COOKIE, cookieOptions(o));
  return services.sessions.end(id);
}

const sign = (secret: string, value: string) =>
  createHmac('sha256', secret).update(`pending:${value}`).digest('base64url');

/** Keeps `value` in a signed, short-lived cookie. */
export function setSignedCookie(
  res: Response,
  name: string,
  value: unknown,
  o: Pick<SessionOptions, 'secret' | 'secure'>,
): void {
  const body = Buffer.from(JSON.stringify({ v: value, exp: Date.now() + 600_000 })).toString(
    'base64url',
  );
  res.cookie(name, `${body}.${sign(o.secret, body)}`, { ...cookieOptions(o), maxAge: 600_000 });
}

/** Reads and clears a cookie set by {@link setSignedCookie}; undefined when missing, forged or stale. */
export function takeSignedCookie(
  req: Request,
  res: Response,
  name: string,
  o: Pick<SessionOptions, 'secret' | 'secure'>,
): unknown {
  const raw = cookies(req)[name];
  res.clearCookie(name, cookieOptions(o));
  const [body, mac] = (raw ?? '').split('.');
  if (!body || !mac) return undefined;
  const expected = Buffer.from(sign(o.secret, body));
  const got = Buffer.from(mac);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return undefined;
  try {
    const { v, exp } = JSON.parse(Buffer.from(body, 'base64url').toString()) as {
      v: unknown;
      exp: number;
    };
    return exp > Date.now() ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The value CSRF tokens are bound to: the session, else a pre-session cookie (set if missing). */
function csrfBasis(req: Request, res: Response, o: Pick<SessionOptions, 'secure'>): string {
  const c = cookies(req);
  if (c[SESSION_COOKIE]) return c[SESSION_COOKIE];
  let pre = c[PRE_SESSION_COOKIE];
  if (!pre) {
    pre = randomBytes(18).toString('base64url');
    res.cookie(PRE_SESSION_COOKIE, pre, cookieOptions(o));
    req.headers.cookie = `${req.headers.cookie ? `${req.headers.cookie}; ` : ''}${PRE_SESSION_COOKIE}=${pre}`;
  }
  return pre;
}

/** The CSRF token for forms of the browser whose session (or pre-session) cookie is `basis`. */
export const csrfTokenFor = (basis: string, secret: string): string =>
  createHmac('sha256', secret).update(`csrf:${basis}`).digest('base64url');

export function csrfToken(
  req: Request,
  res: Response,
  o: Pick<SessionOptions, 'secret' | 'secure'>,
): string {
  return csrfTokenFor(csrfBasis(req, res, o), o.secret);
}

/** True when the form's `_csrf` matches this browser's session. */
export function csrfValid(req: Request, o: Pick<SessionOptions, 'secret'>): boolean {
  const c = cookies(req);
  const basis = c[SESSION_COOKIE] ?? c[PRE_SESSION_COOKIE];
  const given = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (!basis || typeof given !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(basis, o.secret), 'base64url');
  const got = Buffer.from(given, 'base64url');
  return got.length === expected.length && timingSafeEqual(got, expected);
}
