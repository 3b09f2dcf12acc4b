/** /api/v1/webhooks (admin): subscriptions, their secrets and their delivery log. */
import { Router } from 'express';
import {
  deliveriesQuerySchema,
  deliveryIdSchema,
  newWebhookSchema,
  webhookChangeSchema,
  webhookIdSchema,
  webhookPauseSchema,
  webhookResumeSchema,
} from '../../domain/webhooks/schemas.ts';
import type { Services } from '../../services/create-services.ts';
import { parseInput } from '../../services/errors.ts';
import { actorOf } from '../auth.ts';
import { savedResource } from '../resources.ts';
import { sendResource } from '../respond.ts';
import {
  deliveryListResource,
  deliveryResource,
  webhookListResource,
  webhookResource,
  webhookWithSecretResource,
} from '../webhook-resources.ts';

export function webhooksRouter(services: Services): Router {
  const router = Router();
  const w = services.webhooks;
  const id = (raw: unknown) => parseInput(webhookIdSchema, raw, 'path.id');

  router.get('/', async (req, res) => {
    sendResource(res, webhookListResource, { items: await w.list(actorOf(req)) });
  });

  router.post('/', async (req, res) => {
    const input = parseInput(newWebhookSchema, req.body, 'body');
    const created = await w.create(actorOf(req), 'api', input);
    res.location(`/api/v1/webhooks/${created.webhook.id}`);
    sendResource(res, webhookWithSecretResource, created, 201);
  });

  router.get('/:id', async (req, res) => {
    sendResource(res, webhookResource, await w.get(actorOf(req), id(req.params.id)));
  });

  router.patch('/:id', async (req, res) => {
    const webhookId = id(req.params.id);
    const change = parseInput(webhookChangeSchema, req.body, 'body');
    sendResource(res, webhookResource, await w.change(actorOf(req), 'api', webhookId, change));
  });

  router.delete('/:id', async (req, res) => {
    await w.delete(actorOf(req), 'api', id(req.params.id));
    sendResource(res, savedResource, { ok: true });
  });

  router.post('/:id/pause', async (req, res) => {
    const webhookId = id(req.params.id);
    const { reason } = parseInput(webhookPauseSchema, req.body ?? {}, 'body');
    sendResource(res, webhookResource, await w.pause(actorOf(req), 'api', webhookId, reason));
  });

  router.post('/:id/resume', async (req, res) => {
    const webhookId = id(req.params.id);
    const { missed } = parseInput(webhookResumeSchema, req.body, 'body');
    sendResource(res, webhookResource, await w.resume(actorOf(req), 'api', webhookId, missed));
  });

  router.post('/:id/rotate-secret', async (req, res) => {
    const rotated = await w.rotateSecret(actorOf(req), 'api', id(req.params.id));
    sendResource(res, webhookWithSecretResource, rotated);
  });

  router.get('/:id/deliveries', async (req, res) => {
    const webhookId = id(req.params.id);
    const query = parseInput(deliveriesQuerySchema, req.query, 'query');
    sendResource(res, deliveryListResource, {
      items: await w.deliveries(actorOf(req), webhookId, query),
    });
  });

  router.post('/:id/deliveries/:delivery/redeliver', async (req, res) => {
    const webhookId = id(req.params.id);
    const delivery = parseInput(deliveryIdSchema, req.params.delivery, 'path.delivery');
    sendResource(
      res,
      deliveryResource,
      await w.redeliver(actorOf(req), 'api', webhookId, delivery),
      202,
    );
  });
  return router;
}
