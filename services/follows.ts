/**
 * Following a barrier: anyone who may see it may follow it, and then hears of
 * its progress by email (escalations, returns, merges, outcomes and asks),
 * under their own delivery preference; never the owner's reminders.
 */
import type { Actor } from '../domain/barrier/types.ts';
import { findByIds } from '../store/point-reads.ts';
import type { StoredBarrier } from './barriers.ts';
import type { ServiceDeps } from './deps.ts';

type Deps = Pick<ServiceDeps, 'models'>;

export interface Followers {
  /** Whether the reader follows it. */
  following: boolean;
  items: { email: string; name: string }[];
}

const followId = (barrierId: string, email: string) => `${barrierId}:${email}`;

/** Who follows a barrier the actor can see. */
export async function followersOf(deps: Deps, actor: Actor, b: StoredBarrier): Promise<Followers> {
  const follows = await deps.models.Follow.find({ barrierId: b._id }, { email: 1 })
    .sort({ at: 1 })
    .lean();
  const people = await findByIds(
    deps.models.Person,
    follows.map((f) => f.email),
    { name: 1 },
  );
  const name = new Map(people.map((p) => [p._id, p.name]));
  return {
    following: follows.some((f) => f.email === actor.email),
    items: follows.map((f) => ({ email: f.email, name: name.get(f.email) ?? f.email })),
  };
}

/** Starts or stops the actor following a barrier they can see; doing it twice is doing it once. */
export async function setFollowing(
  deps: Deps,
  actor: Actor,
  b: StoredBarrier,
  following: boolean,
): Promise<Followers> {
  const _id = followId(b._id, actor.email);
  if (following)
    await deps.models.Follow.updateOne(
      { _id },
      { $setOnInsert: { barrierId: b._id, email: actor.email, at: new Date() } },
      { upsert: true },
    );
  else await deps.models.Follow.deleteOne({ _id });
  return followersOf(deps, actor, b);
}
