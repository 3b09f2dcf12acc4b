/**
 * Raising barriers and acting on them: the rules and steps the API and the
 * web pages share, so a page and an API call can never disagree.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { canRaise, roleProblem, type BarrierScope } from '../domain/barrier/access.ts';
import type { Actor, BarrierCommand } from '../domain/barrier/barrier-machine.ts';
import type { BarrierActionRequest, RaiseBarrier } from '../domain/barrier/schemas.ts';
import type { Policy } from '../domain/policy/policy.ts';
import type { BarrierDoc, Models } from '../store/models.ts';
import { getPolicy, latestPolicy } from '../store/policy-store.ts';
import { isDuplicateKey, nextSequence } from '../store/store.ts';
import {
  BarrierActionRejected,
  BarrierIdConflict,
  actOnBarrier,
  startBarrier,
} from '../workflows/barrier/lifecycle.ts';
import { addToAsk, createAsk } from './asks-service.ts';
import type { Logger } from './logger.ts';
import { badRequest, conflict, forbidden, unprocessable } from './problem.ts';

export interface BarrierServiceDeps {
  logger: Logger;
  client: Client;
  taskQueue: string;
  models: Models;
  /** The policy new barriers start on (its newest stored version wins). */
  defaultPolicy: Policy;
}

/** The parts of a stored barrier that decide access. */
export const scopeOf = (b: {
  locality: string;
  neighbourhood: string;
  stage: string;
  ownerEmail?: string | null;
  raisedBy: string;
  raisers?: string[] | null;
}): BarrierScope => ({
  locality: b.locality,
  neighbourhood: b.neighbourhood,
  stage: b.stage as BarrierScope['stage'],
  ownerEmail: b.ownerEmail ?? null,
  raisedBy: b.raisedBy,
  raisers: b.raisers ?? [],
});

/**
 * Raises a barrier and waits until it is routed; returns its id. With an
 * idempotency key, the same key and body give the same barrier.
 */
export async function raiseBarrier(
  deps: BarrierServiceDeps,
  actor: Actor,
  body: RaiseBarrier,
  idempotencyKey?: string,
): Promise<string> {
  const { models } = deps;
  if (!canRaise(actor, body.locality)) {
    throw forbidden(
      actor.role === 'locality-lead'
        ? `You may raise barriers in ${actor.locality} only.`
        : 'Only locality leads (and admins) raise barriers.',
    );
  }
  const locality = await models.Locality.findById(body.locality).lean();
  if (!locality?.neighbourhoods.some((n) => n.slug === body.neighbourhood)) {
    throw badRequest(`${body.neighbourhood} is not a neighbourhood of ${body.locality}.`, [
      { field: 'body.neighbourhood', reason: `is not a neighbourhood of ${body.locality}` },
    ]);
  }

  const bodyHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  let id: string | undefined;
  let retry = false;
  const keyId = idempotencyKey ? `${actor.email}:${idempotencyKey}` : undefined;
  if (keyId) {
    const existing = await models.IdempotencyKey.findById(keyId).lean();
    if (existing) {
      if (existing.bodyHash !== bodyHash) {
        throw conflict(
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
          throw conflict('This Idempotency-Key was already used with a different body.');
        id = winner.resourceId;
        retry = true;
      }
    } else {
      id = candidate;
    }
  }

  const policy = (await latestPolicy(models, deps.defaultPolicy.id)) ?? deps.defaultPolicy;
  // A counter behind Temporal (a database restored from an older backup) must not
  // hand out an id whose workflow exists: skip forward past such ids.
  for (let attempt = 1; ; attempt++) {
    try {
      await startBarrier(
        deps.client,
        deps.taskQueue,
        { version: 1, id, reference: id, details: body, raisedBy: actor.email, policy },
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

/** Takes an action on a barrier the actor can see, or throws the problem (403, 400, 422). */
export async function actOnVisibleBarrier(
  deps: BarrierServiceDeps,
  actor: Actor,
  b: BarrierDoc & { _id: string },
  action: BarrierActionRequest,
): Promise<void> {
  const { models } = deps;
  const problem = roleProblem(actor, action.type, scopeOf(b));
  if (problem) throw forbidden(problem);
  try {
    if (action.type === 'promote') {
      // Into a new ask or an existing draft: the ask lists it, then it is promoted.
      if (action.ask) await createAsk(deps, actor, { ...action.ask, barrierIds: [b._id] });
      else await addToAsk(deps, actor, action.askId!, b._id, 'body.askId');
    } else {
      const command = await resolveCommand(models, action, b.policy.id ?? deps.defaultPolicy.id);
      await actOnBarrier(deps.client, b._id, command, actor);
    }
  } catch (err) {
    if (err instanceof BarrierActionRejected)
      throw unprocessable(`You cannot ${action.type} ${b._id} now: ${err.message}.`);
    throw err;
  }
}

/** How many used ids a raise skips before giving up (a counter far behind needs an admin). */
const MAX_ID_SKIPS = 100;

/** The next barrier reference, GT-0001 onwards. */
async function allocateBarrierId(models: Models): Promise<string> {
  return `GT-${String(await nextSequence(models, 'barrier')).padStart(4, '0')}`;
}

/** Turns a request into the workflow's command, looking up people and policies. */
async function resolveCommand(
  models: Models,
  action: BarrierActionRequest,
  currentPolicyId: string,
): Promise<BarrierCommand> {
  switch (action.type) {
    case 'reassign': {
      const person = await models.Person.findById(action.to).lean();
      if (!person) {
        throw badRequest(`${action.to} is not in the directory.`, [
          { field: 'body.to', reason: 'is not a person in the directory' },
        ]);
      }
      return {
        type: 'reassign',
        to: { email: person._id, name: person.name },
        reason: action.reason,
      };
    }
    case 'migrate-policy': {
      const policyId = action.policyId ?? currentPolicyId;
      const policy = await getPolicy(models, policyId, action.policyVersion);
      if (!policy) {
        throw badRequest(`There is no policy ${policyId} version ${action.policyVersion}.`, [
          { field: 'body.policyVersion', reason: `is not a version of policy ${policyId}` },
        ]);
      }
      return { type: 'migrate-policy', policy };
    }
    case 'accept': {
      const person = await models.Person.findById(action.owner).lean();
      if (!person?.roles.includes('gmca-triage')) {
        throw badRequest(`${action.owner} is not GMCA triage staff in the directory.`, [
          { field: 'body.owner', reason: 'is not a GMCA triage person in the directory' },
        ]);
      }
      return {
        type: 'accept',
        owner: { email: person._id, name: person.name },
        resolveTarget: action.resolveTarget,
      };
    }
    case 'merge':
    case 'link': {
      const field = action.type === 'merge' ? 'into' : 'with';
      const otherId = action.type === 'merge' ? action.into : action.with;
      const other = await models.Barrier.findById(otherId, { status: 1 }).lean();
      if (!other) {
        throw badRequest(`${otherId} is not a barrier.`, [
          { field: `body.${field}`, reason: 'is not a barrier' },
        ]);
      }
      if (action.type === 'merge') {
        if (other.status !== 'open')
          throw unprocessable(`${otherId} is ${other.status}: merge into an open barrier.`);
        return { type: 'merge', into: otherId, reason: action.reason };
      }
      return { type: 'link', with: otherId };
    }
    case 'promote':
      throw new Error('promote is handled by the asks service');
    default:
      return action;
  }
}
