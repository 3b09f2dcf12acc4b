/**
 * Barriers: raise, list within scope, read one, act on it. The rules and
 * steps the API and the pages share, so a page and an API call can never
 * disagree.
 */
import { createHash } from 'node:crypto';
import { canRaise, canSee, listArea, roleProblem, scopeOf } from '../domain/access.ts';
import type { ActionState } from '../domain/barrier/action-rules.ts';
import type { Actor } from '../domain/barrier/types.ts';
import {
  barrierIdPattern,
  type BarrierActionRequest,
  type RaiseBarrier,
} from '../domain/barrier/schemas.ts';
import type { BarrierDoc } from '../store/models.ts';
import {
  decodeCursor,
  getBarrier,
  getTimeline,
  listBarrierRows,
  listBarriers as queryBarriers,
  readBarrierPage,
  streamBarriers,
  type BarrierListQuery,
  type BarrierListRow,
} from '../store/barrier-queries.ts';
import { latestPolicyCached, localityById } from '../store/directory-reads.ts';
import { numberedPage, type NumberedPage } from '../domain/numbered-page.ts';
import { NobodyToRouteTo } from '../domain/routing/errors.ts';
import { routeOwner } from '../store/routing.ts';
import { findByIds } from '../store/point-reads.ts';
import { readThrough } from '../store/read-cache.ts';
import { allocateBarrierId, isDuplicateKey } from '../store/store.ts';
import {
  BarrierActionRejected,
  BarrierIdConflict,
  actOnBarrier,
  startBarrier,
} from '../workflows/barrier/lifecycle.ts';
import { addToAsk, createAsk } from './asks.ts';
import { resolveCommand } from './barrier-commands.ts';
import { recordAudit, type Via } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { Conflict, Forbidden, NotFound, Rejected, invalidField } from './errors.ts';

export type StoredBarrier = BarrierDoc & { _id: string };
export type { BarrierListRow };

/** `b` if the actor may see it; otherwise not found (its existence is not revealed). */
function seenBy<B extends StoredBarrier>(actor: Actor, id: string, b: B | null): B {
  if (!b || !canSee(actor, scopeOf(b)))
    throw new NotFound(`There is no barrier ${id} that you can see.`);
  return b;
}

/** The barrier if the actor may see it; otherwise not found (its existence is not revealed). */
export async function visibleBarrier(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  id: string,
): Promise<StoredBarrier> {
  const b = barrierIdPattern.test(id)
    ? await readThrough(deps.models, 'barriers', `barrier:${id}`, () => getBarrier(deps.models, id))
    : null;
  return seenBy(actor, id, b);
}

/**
 * A barrier and its timeline (with those of barriers merged into it), kept
 * while the read model is unchanged: the same barrier at the same `lastSeq`
 * has the same events.
 */
async function barrierWithTimeline(deps: Pick<ServiceDeps, 'models'>, b: StoredBarrier) {
  const { models } = deps;
  const timeline = await readThrough(models, 'barriers', `timeline:${b._id}:${b.lastSeq}`, () =>
    getTimeline(models, b),
  );
  return { barrier: b, timeline };
}

/**
 * The barrier with its timeline if the actor may see it: from its page, one
 * read, when the page can answer alone; else the barrier, then its timeline.
 * Kept while the read model is unchanged.
 */
export async function visibleBarrierWithTimeline(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  id: string,
) {
  const page = barrierIdPattern.test(id)
    ? await readThrough(deps.models, 'barriers', `page:${id}`, () =>
        readBarrierPage(deps.models, id),
      )
    : null;
  if (!page) return barrierWithTimeline(deps, await visibleBarrier(deps, actor, id));
  seenBy(actor, id, page.barrier);
  return page;
}

/** Reads a barrier with its timeline after a change (no scope check: the caller just acted on it). */
export async function rereadBarrier(deps: Pick<ServiceDeps, 'models'>, id: string) {
  const page = await readBarrierPage(deps.models, id);
  if (page) return page;
  const b = await getBarrier(deps.models, id);
  if (!b) throw new NotFound(`There is no barrier ${id}.`);
  return barrierWithTimeline(deps, b);
}

/**
 * The directory's names of the people a page mentions, by email; someone the
 * directory has no name for is left out (the page shows their email). One
 * read per set of people, kept while the directory is unchanged.
 */
export async function namesOfPeople(
  deps: Pick<ServiceDeps, 'models'>,
  emails: readonly string[],
): Promise<Record<string, string>> {
  const ids = [...new Set(emails.filter((e) => e.includes('@')))].sort();
  if (ids.length === 0) return {};
  const people = await readThrough(deps.models, 'directory', `names:${ids.join(' ')}`, () =>
    findByIds(deps.models.Person, ids, { name: 1 }),
  );
  return Object.fromEntries(
    people.filter((p) => typeof p.name === 'string' && p.name).map((p) => [p._id, p.name]),
  );
}

/** The area a list is limited to. @throws {Forbidden} when `requested` is outside the actor's. */
function areaOf(actor: Actor, requested: { locality?: string; neighbourhood?: string }) {
  const answer = listArea(actor, {
    locality: requested.locality,
    neighbourhood: requested.neighbourhood,
  });
  if ('refused' in answer) throw new Forbidden(answer.refused);
  return answer.area;
}

/**
 * One page of the barriers the actor may see, filtered and sorted.
 * @throws {Forbidden} when the filters name an area outside the actor's.
 */
export function listVisibleBarriers(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  query: BarrierListQuery,
) {
  return queryBarriers(deps.models, { ...query, ...areaOf(actor, query) });
}

/**
 * Page `page.number` of the barriers the actor may see, filtered and sorted,
 * with how many match: for the barriers page, which numbers its pages (the
 * API pages by cursor, {@link listVisibleBarriers}).
 * @throws {Forbidden} when the filters name an area outside the actor's.
 */
export async function pageOfVisibleBarriers(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  query: Omit<BarrierListQuery, 'limit' | 'cursor'>,
  page: { number: number; size: number },
): Promise<NumberedPage<BarrierListRow>> {
  const all = await listBarrierRows(deps.models, { ...query, ...areaOf(actor, query) });
  return numberedPage(all, page.number, page.size);
}

/**
 * Every barrier the actor may see that matches the query, in its order, read
 * as the caller iterates: for exports, not a page.
 * @throws {Forbidden} when the filters name an area outside the actor's.
 */
export function exportVisibleBarriers(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  query: Omit<BarrierListQuery, 'limit' | 'cursor'>,
) {
  return streamBarriers(deps.models, { ...query, ...areaOf(actor, query) });
}

/** True when `cursor` is one a list of barriers gave out. */
export const isListCursor = (cursor: string): boolean => decodeCursor(cursor) !== undefined;

export { deadlinesBeyondData } from '../domain/barrier/public-shape.ts';

/** The state that decides which actions a stored barrier allows (see domain's action-rules). */
export const actionStateOf = (b: StoredBarrier): ActionState => ({
  status: b.status as ActionState['status'],
  stage: b.stage as ActionState['stage'],
  acknowledged: Boolean(b.acknowledged) || b.status !== 'open',
  pauseReason: b.sla.paused ? (b.sla.pauseReason ?? 'paused') : null,
  reopenUntil: b.reopenUntil?.getTime() ?? null,
});

/**
 * Raises a barrier and waits until it is routed; returns its id. With an
 * idempotency key, the same key and body give the same barrier.
 */
export async function raiseBarrier(
  deps: ServiceDeps,
  actor: Actor,
  body: RaiseBarrier,
  idempotencyKey?: string,
): Promise<string> {
  const { models } = deps;
  if (!canRaise(actor, body.locality)) {
    throw new Forbidden(
      actor.role === 'locality-lead'
        ? `You may raise barriers in ${actor.locality} only.`
        : 'Only locality leads (and admins) raise barriers.',
    );
  }
  const locality = await localityById(models, body.locality);
  if (!locality?.neighbourhoods.some((n) => n.slug === body.neighbourhood)) {
    throw invalidField(
      `${body.neighbourhood} is not a neighbourhood of ${body.locality}.`,
      'body.neighbourhood',
      `is not a neighbourhood of ${body.locality}`,
    );
  }

  // Routed here, where the directory is at hand (cached, under the request's one
  // read of its stamp): the workflow's first task then only assigns and projects.
  // With nobody to route to, the workflow routes, and waits until someone is there.
  const owner = await routeOwner(models, {
    barrierId: 'a new barrier',
    locality: body.locality,
    neighbourhood: body.neighbourhood,
    category: body.category,
    stage: 'neighbourhood',
  }).catch((err: unknown) => {
    if (err instanceof NobodyToRouteTo) return undefined;
    throw err;
  });

  const bodyHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  let id: string | undefined;
  let retry = false;
  const keyId = idempotencyKey ? `${actor.email}:${idempotencyKey}` : undefined;
  if (keyId) {
    const existing = await models.IdempotencyKey.findById(keyId).lean();
    if (existing) {
      if (existing.bodyHash !== bodyHash) {
        throw new Conflict(
          'This Idempotency-Key was already used with a different body; use a new key for a new barrier.',
        );
      }
      id = existing.resourceId;
      retry = true;
    }
  }
  if (!id) {
    const candidate = await allocateBarrierId(models);
    if (keyId) {
      try {
        await models.IdempotencyKey.create({
          _id: keyId,
          bodyHash,
          resourceId: candidate,
          createdAt: new Date(),
        });
        id = candidate;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // A concurrent request with the same key won the race: follow it.
        const winner = await models.IdempotencyKey.findById(keyId).lean();
        if (!winner || winner.bodyHash !== bodyHash)
          throw new Conflict('This Idempotency-Key was already used with a different body.');
        id = winner.resourceId;
        retry = true;
      }
    } else {
      id = candidate;
    }
  }

  const policy = (await latestPolicyCached(models, deps.defaultPolicy.id)) ?? deps.defaultPolicy;
  // A counter behind Temporal (a database restored from an older backup) must not
  // hand out an id whose workflow exists: skip forward past such ids.
  for (let attempt = 1; ; attempt++) {
    try {
      await startBarrier(
        deps.client,
        deps.taskQueue,
        { version: 1, id, reference: id, details: body, raisedBy: actor.email, policy, owner },
        { retry },
      );
      break;
    } catch (err) {
      if (!(err instanceof BarrierIdConflict) || attempt >= MAX_ID_SKIPS) throw err;
      deps.logger.warn('barrier id already used in Temporal; allocating the next', { id });
      id = await allocateBarrierId(models);
      if (keyId)
        await models.IdempotencyKey.updateOne({ _id: keyId }, { $set: { resourceId: id } });
    }
  }
  return id;
}

/**
 * Takes an action on a barrier the actor can see.
 * @throws {Forbidden} when the actor's role may not; {@link Rejected} when the state does not allow it now.
 */
export async function actOnVisibleBarrier(
  deps: ServiceDeps,
  actor: Actor,
  via: Via,
  b: StoredBarrier,
  action: BarrierActionRequest,
): Promise<void> {
  const { models } = deps;
  const problem = roleProblem(actor, action.type, scopeOf(b));
  if (problem) throw new Forbidden(problem);
  try {
    if (action.type === 'promote') {
      // Into a new ask or an existing draft: the ask lists it, then it is promoted.
      if (action.ask) await createAsk(deps, actor, { ...action.ask, barrierIds: [b._id] });
      else await addToAsk(deps, actor, action.askId!, b._id, 'body.askId');
    } else {
      const command = await resolveCommand(models, action, {
        policyId: b.policy.id ?? deps.defaultPolicy.id,
        scope: scopeOf(b),
      });
      await actOnBarrier(deps.client, b._id, command, actor);
      if (
        command.type === 'migrate-policy' ||
        (command.type === 'reassign' && actor.role === 'admin')
      )
        await recordAudit(deps, actor, via, {
          action: command.type === 'reassign' ? 'barrier.reassigned' : 'barrier.policy-migrated',
          target: `barrier:${b._id}`,
          before:
            command.type === 'reassign'
              ? { owner: b.ownerEmail ?? null }
              : { policy: `${b.policy.id}@${b.policy.version}` },
          after:
            command.type === 'reassign'
              ? { owner: command.to.email, reason: command.reason ?? null }
              : { policy: `${command.policy.id}@${command.policy.version}` },
        });
    }
  } catch (err) {
    if (err instanceof BarrierActionRejected)
      throw new Rejected(`You cannot ${action.type} ${b._id} now: ${err.message}.`);
    throw err;
  }
}

/** How many used ids a raise skips before giving up (a counter far behind needs an admin). */
const MAX_ID_SKIPS = 100;
