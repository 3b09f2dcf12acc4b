/** /api/v1/barriers: raise, list, read, act. */
import { Router } from 'express';
import { canSee } from '../../domain/barrier/access.ts';
import type { Actor } from '../../domain/barrier/barrier-machine.ts';
import { barrierActionSchema, raiseBarrierSchema } from '../../domain/barrier/schemas.ts';
import {
  decodeCursor,
  getBarrier,
  getTimeline,
  listBarriers,
} from '../../store/barrier-queries.ts';
import { actorOf } from '../auth.ts';
import { badRequest, forbidden, notFound, parseOr400 } from '../problem.ts';
import { barrierResource } from '../representations.ts';
import {
  actOnVisibleBarrier,
  raiseBarrier,
  scopeOf,
  type BarrierServiceDeps,
} from '../barrier-service.ts';
import type { AsksDeps } from '../asks-service.ts';
import { barrierIdSchema, idempotencyKeySchema, listBarriersQuerySchema } from '../schemas.ts';

export type BarriersRouterDeps = AsksDeps & BarrierServiceDeps;

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
    const timeline = await getTimeline(models, b);
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
    const id = await raiseBarrier(deps, actor, body, idempotencyKey);
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
    res.json(barrierResource(b, await getTimeline(models, b)));
  });

  router.post('/:id/actions', async (req, res) => {
    const actor = actorOf(req);
    const b = await visibleBarrier(actor, req.params.id);
    const action = parseOr400(barrierActionSchema, req.body, 'body');
    await actOnVisibleBarrier(deps, actor, b, action);
    await respondWithBarrier(res, b._id);
  });

  return router;
}
