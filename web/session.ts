/**
 * Sessions for the pages: a signed, http-only cookie carrying the same claims
 * as an API token (so the same rules apply), and CSRF tokens bound to it.
 *
 * CSRF: every form carries `_csrf`, an HMAC of the session cookie (or, before
 * sign-in, of a random pre-session cookie) under AUTH_SECRET. A cross-site
 * page can neither read the cookie nor compute the HMAC, so it cannot forge one.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Actor } from '../domain/barrier/barrier-machine.ts';
import { signToken, verifyToken, type Claims } from '../auth/tokens.ts';

export const SESSION_COOKIE = 'gt_session';
export const PRE_SESSION_COOKIE = 'gt_pre';

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

export interface SessionOptions {
  secret: string;
  /** Send cookies only over HTTPS (production). */
  secure: boolean;
}

const cookieOptions = (o: SessionOptions) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: o.secure,
  path: '/',
});

/** The signed-in person, or null. */
export async function sessionActor(req: Request, secret: string): Promise<Actor | null> {
  const token = cookies(req)[SESSION_COOKIE];
  if (!token) return null;
  try {
    return await verifyToken(secret, token);
  } catch {
    return null;
  }
}

export async function signIn(res: Response, claims: Claims, o: SessionOptions): Promise<void> {
  const token = await signToken(o.secret, claims, '8h');
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(o), maxAge: 8 * 3_600_000 });
}

export function signOut(res: Response, o: SessionOptions): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(o));
}

/** The value CSRF tokens are bound to: the session, else a pre-session cookie (set if missing). */
function csrfBasis(req: Request, res: Response, o: SessionOptions): string {
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

export function csrfToken(req: Request, res: Response, o: SessionOptions): string {
  return createHmac('sha256', o.secret)
    .update(`csrf:${csrfBasis(req, res, o)}`)
    .digest('base64url');
}

/** True when the form's `_csrf` matches this browser's session. */
export function csrfValid(req: Request, o: SessionOptions): boolean {
  const c = cookies(req);
  const basis = c[SESSION_COOKIE] ?? c[PRE_SESSION_COOKIE];
  const given = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (!basis || typeof given !== 'string') return false;
  const expected = createHmac('sha256', o.secret).update(`csrf:${basis}`).digest();
  const got = Buffer.from(given, 'base64url');
  return got.length === expected.length && timingSafeEqual(got, expected);
}
