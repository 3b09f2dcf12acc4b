/** /api/v1/barriers: raise, list, read, act. */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { canRaise, canSee, roleProblem, type BarrierScope } from '../../domain/barrier/access.ts';
import type { Actor, BarrierCommand } from '../../domain/barrier/barrier-machine.ts';
import {
  barrierActionSchema,
  raiseBarrierSchema,
  type BarrierActionRequest,
} from '../../domain/barrier/schemas.ts';
import type { Policy } from '../../domain/policy/policy.ts';
import {
  BarrierActionRejected,
  BarrierIdConflict,
  actOnBarrier,
  startBarrier,
} from '../../workflows/barrier/lifecycle.ts';
import {
  decodeCursor,
  getBarrier,
  getTimeline,
  listBarriers,
} from '../../store/barrier-queries.ts';
import type { Models } from '../../store/models.ts';
import { getPolicy, latestPolicy } from '../../store/policy-store.ts';
import { isDuplicateKey, nextSequence } from '../../store/store.ts';
import { actorOf } from '../auth.ts';
import type { Logger } from '../logger.ts';
import {
  badRequest,
  conflict,
  forbidden,
  notFound,
  parseOr400,
  unprocessable,
} from '../problem.ts';
import { barrierResource } from '../representations.ts';
import { addToAsk, createAsk, type AsksDeps } from '../asks-service.ts';
import { barrierIdSchema, idempotencyKeySchema, listBarriersQuerySchema } from '../schemas.ts';

export interface BarriersRouterDeps extends AsksDeps {
  logger: Logger;
  client: Client;
  taskQueue: string;
  models: Models;
  /** The policy new barriers start on (its newest stored version wins). */
  defaultPolicy: Policy;
}

const scopeOf = (b: {
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

export function barriersRouter(deps: BarriersRouterDeps): Router {
  const { models } = deps;
  const router = Router();

  /** The barrier, if the actor may see it; otherwise 404 (existence is not leaked). */
  async function visibleBarrier(actor: Actor, rawId: unknown) {
    const id = parseOr400(barrierIdSchema, rawId, 'path.id');
    const b = await getBarrier(models, id);
    if (!b || !canSee(actor, scopeOf(b)))
      throw notFound(`There is no barrier ${id} that you can see.`);
    return b;
  }

  async function respondWithBarrier(
    res: Parameters<Parameters<typeof router.get>[1]>[1],
    id: string,
    status = 200,
  ) {
    const b = await getBarrier(models, id);
    if (!b) throw notFound(`There is no barrier ${id}.`);
    const timeline = await getTimeline(models, id, b.mergedFrom ?? []);
    res.status(status).location(`/api/v1/barriers/${id}`).json(barrierResource(b, timeline));
  }

  router.post('/', async (req, res) => {
    const actor = actorOf(req);
    const idempotencyKey = parseOr400(
      idempotencyKeySchema,
      req.get('idempotency-key'),
      'header.idempotency-key',
    );
    const body = parseOr400(raiseBarrierSchema, req.body, 'body');
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
    await respondWithBarrier(res, id, 201);
  });

  router.get('/', async (req, res) => {
    const actor = actorOf(req);
    const q = parseOr400(listBarriersQuerySchema, req.query, 'query');
    if (q.cursor && !decodeCursor(q.cursor)) {
      throw badRequest('The cursor is not one this API gave out.', [
        { field: 'query.cursor', reason: 'is not a cursor from a previous page' },
      ]);
    }
    // Scope: leads see their own area only; asking for another is a 403, not an empty list.
    if (actor.role === 'locality-lead' || actor.role === 'neighbourhood-lead') {
      if (q.locality && q.locality !== actor.locality)
        throw forbidden(`You can list barriers in ${actor.locality} only.`);
      q.locality = actor.locality as typeof q.locality;
    }
    if (actor.role === 'neighbourhood-lead') {
      if (q.neighbourhood && q.neighbourhood !== actor.neighbourhood) {
        throw forbidden(`You can list barriers in ${actor.neighbourhood} only.`);
      }
      q.neighbourhood = actor.neighbourhood;
    }
    const { items, nextCursor } = await listBarriers(models, q);
    res.json({ items: items.map((b) => barrierResource(b)), nextCursor });
  });

  router.get('/:id', async (req, res) => {
    const b = await visibleBarrier(actorOf(req), req.params.id);
    res.json(barrierResource(b, await getTimeline(models, b._id, b.mergedFrom ?? [])));
  });

  router.post('/:id/actions', async (req, res) => {
    const actor = actorOf(req);
    const b = await visibleBarrier(actor, req.params.id);
    const action = parseOr400(barrierActionSchema, req.body, 'body');
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
    await respondWithBarrier(res, b._id);
  });

  return router;
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
