/** /api/v1/barriers: raise, list, read, act. */
import { Router, type Response } from 'express';
import { barrierActionSchema, raiseBarrierSchema } from '../../domain/barrier/schemas.ts';
import { searchWords } from '../../domain/search.ts';
import type { rereadBarrier } from '../../services/barriers.ts';
import { isListCursor, type StoredBarrier } from '../../services/barriers.ts';
import type { Services } from '../../services/create-services.ts';
import { invalidField, parseInput } from '../../services/errors.ts';
import { actorOf } from '../auth.ts';
import { barrierResource } from '../representations.ts';
import { barrierListResource, barrierResourceSchema, followersResource } from '../resources.ts';
import { sendResource, sendResourceOnce } from '../respond.ts';
import { barrierIdSchema, idempotencyKeySchema, listBarriersQuerySchema } from '../schemas.ts';

/** A page of barriers as JSON, made once for each page the read cache holds. */
const sendPage = sendResourceOnce(
  barrierListResource,
  ({ items, nextCursor }: { items: StoredBarrier[]; nextCursor: string | null }) => ({
    items: items.map((b) => barrierResource(b)),
    nextCursor,
  }),
);

export function barriersRouter(services: Services): Router {
  const router = Router();

  const idOf = (req: { params: Record<string, string> }) =>
    parseInput(barrierIdSchema, req.params.id, 'path.id');
  const visible = (req: { actor?: unknown; params: Record<string, string> }) =>
    services.barriers.visible(actorOf(req as never), idOf(req));

  const send = (
    res: Response,
    { barrier, timeline }: Awaited<ReturnType<typeof rereadBarrier>>,
    status = 200,
  ) => {
    res.location(`/api/v1/barriers/${barrier._id}`);
    sendResource(res, barrierResourceSchema, barrierResource(barrier, timeline), status);
  };

  router.post('/', async (req, res) => {
    const idempotencyKey = parseInput(
      idempotencyKeySchema,
      req.get('idempotency-key'),
      'header.idempotency-key',
    );
    const body = parseInput(raiseBarrierSchema, req.body, 'body');
    const id = await services.barriers.raise(actorOf(req), body, idempotencyKey);
    send(res, await services.barriers.reread(id), 201);
  });

  router.get('/', async (req, res) => {
    const actor = actorOf(req);
    const q = parseInput(listBarriersQuerySchema, req.query, 'query');
    if (q.cursor && !isListCursor(q.cursor)) {
      throw invalidField(
        'The cursor is not one this API gave out.',
        'query.cursor',
        'is not a cursor from a previous page',
      );
    }
    const query = { ...q, words: searchWords(q.q) };
    if (q.format === 'csv') {
      const csv = services.barriers.csv(actor, query);
      res.type('text/csv; charset=utf-8').attachment(csv.filename);
      await csv.write(res);
      return;
    }
    sendPage(res, await services.barriers.list(actor, query));
  });

  router.get('/:id/followers', async (req, res) => {
    sendResource(
      res,
      followersResource,
      await services.barriers.followers(actorOf(req), await visible(req)),
    );
  });
  for (const [method, following] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    router[method]('/:id/following', async (req, res) => {
      const b = await visible(req);
      sendResource(
        res,
        followersResource,
        await services.barriers.setFollowing(actorOf(req), b, following),
      );
    });
  }

  router.get('/:id', async (req, res) => {
    const { barrier, timeline } = await services.barriers.withTimeline(actorOf(req), idOf(req));
    sendResource(res, barrierResourceSchema, barrierResource(barrier, timeline));
  });

  router.post('/:id/actions', async (req, res) => {
    const actor = actorOf(req);
    const b = await visible(req);
    const action = parseInput(barrierActionSchema, req.body, 'body');
    await services.barriers.act(actor, 'api', b, action);
    send(res, await services.barriers.reread(b._id));
  });

  return router;
}
