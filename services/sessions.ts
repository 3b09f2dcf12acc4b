/**
 * Page sessions as stored: the cookie carries a random id, the store keeps its
 * SHA-256 (so a leaked copy of the collection signs nobody in), who it is for,
 * how they signed in and when it was last used. Cookies themselves are the
 * pages' business (web/session.ts); this is only what is kept.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SessionDoc } from '../store/models.ts';
import type { ServiceDeps } from './deps.ts';

type Deps = Pick<ServiceDeps, 'models'>;

/** A stored session that still signs its person in. */
export type LiveSession = SessionDoc & { _id: string };

/** How long sessions last. */
export interface SessionLimits {
  /** A session unused this long ends. */
  idleMinutes: number;
  /** A session ends this long after sign-in, however busy. */
  maxHours: number;
}

/** Who a new session is for, and how they proved it. */
export interface SessionStart {
  email: string;
  via: 'oidc' | 'development';
  idToken?: string;
}

const sessionKey = (id: string) => createHash('sha256').update(id).digest('base64url');

/** A cookie's id that cannot name a session (missing, or longer than any we issue). */
const unusable = (id: string | undefined): id is undefined => !id || id.length > 100;

/** Why a stored session no longer signs anyone in, or undefined while it does. */
export function sessionEnded(s: SessionDoc, now: number, o: SessionLimits): string | undefined {
  if (s.revokedAt) return 'revoked';
  if (now - s.lastSeenAt.getTime() > o.idleMinutes * 60_000) return 'idle';
  if (now - s.createdAt.getTime() > o.maxHours * 3_600_000) return 'expired';
  return undefined;
}

/**
 * The live session a cookie's id names, or null. Marks it used, at most once
 * a minute.
 */
export async function liveSession(
  deps: Deps,
  cookieId: string | undefined,
  o: SessionLimits,
): Promise<LiveSession | null> {
  if (unusable(cookieId)) return null;
  const s = await deps.models.Session.findById(sessionKey(cookieId)).lean();
  const now = Date.now();
  if (!s || sessionEnded(s, now, o)) return null;
  if (now - s.lastSeenAt.getTime() > 60_000)
    await deps.models.Session.updateOne({ _id: s._id }, { $set: { lastSeenAt: new Date(now) } });
  return s;
}

/** Stores a new session; returns the id its cookie carries. */
export async function createSession(deps: Deps, who: SessionStart): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const now = new Date();
  await deps.models.Session.create({
    _id: sessionKey(id),
    email: who.email,
    via: who.via,
    idToken: who.idToken ?? null,
    createdAt: now,
    lastSeenAt: now,
  });
  return id;
}

/** Ends the session a cookie's id names (if live); returns it, for the provider's sign-out. */
export async function endSession(
  deps: Deps,
  cookieId: string | undefined,
): Promise<SessionDoc | null> {
  if (unusable(cookieId)) return null;
  return deps.models.Session.findOneAndUpdate(
    { _id: sessionKey(cookieId), revokedAt: null },
    { $set: { revokedAt: new Date(), revokedBy: 'sign-out' } },
  ).lean();
}

/** Records which of their roles the session's person acts in. */
export async function setActingAs(deps: Deps, sessionId: string, role: string): Promise<void> {
  await deps.models.Session.updateOne({ _id: sessionId }, { $set: { actingAs: role } });
}
