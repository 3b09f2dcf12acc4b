/**
 * Administration: webhook subscriptions. Add one (its signing secret shown
 * once, on the page that answers the form), read one with its delivery log,
 * pause, resume (sending or dropping what it missed), rotate the secret,
 * redeliver one event, delete. Every change goes through the services, which
 * audit it.
 */
import { Router, type Request, type Response } from 'express';
import {
  newWebhookSchema,
  webhookIdSchema,
  deliveryIdSchema,
  WEBHOOK_MISSED_CHOICES,
} from '../../../domain/webhooks/schemas.ts';
import { InvalidInput, NotFound, fieldProblems } from '../../../services/errors.ts';
import type { WebhookView } from '../../../services/webhooks.ts';
import type { PageKit, User } from '../../kit.ts';
import { errorSummary } from '../../presenters/admin.ts';
import {
  DELIVERY_HEAD,
  deliveryRows,
  webhookFormValues,
  webhookFormView,
  webhookRows,
  webhookSummary,
  type WebhookFormValues,
} from '../../presenters/webhooks.ts';

const NOTICES: Record<string, string> = {
  paused: 'Paused. Events are kept until you resume it.',
  resumed: 'Resumed.',
  changed: 'Saved. Deliveries from now on follow the change.',
  redelivered: 'The event will be sent again, with the same webhook-id.',
  deleted: 'The subscription is deleted.',
};

const FIELD_IDS: Record<string, string> = {
  'body.name': 'name',
  'body.url': 'url',
  'body.eventTypes': 'eventTypes',
  'body.locality': 'locality',
};

export function adminWebhookRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();

  const idOf = (req: Request) => {
    const id = webhookIdSchema.safeParse(String(req.params.id));
    if (!id.success)
      throw new NotFound(`There is no webhook subscription ${String(req.params.id)}.`);
    return id.data;
  };

  router.get(
    '/admin/webhooks',
    kit.admin(async (req, res, user) => {
      kit.render(req, res, 'admin/webhooks', {
        title: 'Webhooks',
        notice: typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined,
        head: ['Name', 'URL', 'Events', 'Locality', 'Status'],
        rows: webhookRows(await services.webhooks.list(user)),
      });
    }),
  );

  const form = (
    req: Request,
    res: Response,
    values: WebhookFormValues,
    fieldErrors: Record<string, string> = {},
    editing?: WebhookView,
  ) =>
    kit.render(req, res, 'admin/webhook-new', {
      title: editing ? `Change ${editing.name}` : 'Add a webhook subscription',
      action: editing ? `/admin/webhooks/${editing.id}/edit` : '/admin/webhooks/new',
      submitText: editing ? 'Save changes' : 'Add subscription',
      ...webhookFormView(values),
      fieldErrors,
      errors: errorSummary(fieldErrors, ['name', 'url', 'eventTypes', 'locality']),
    });

  router.get(
    '/admin/webhooks/new',
    kit.admin(async (req, res) => {
      form(req, res, { name: '', url: '', eventTypes: [], locality: '' });
      return Promise.resolve();
    }),
  );

  /** The page that shows a secret, the one time it is shown. */
  const secretPage = (
    req: Request,
    res: Response,
    webhook: WebhookView,
    secret: string,
    rotated: boolean,
  ) =>
    kit.render(req, res, 'admin/webhook-secret', {
      title: rotated ? `A new secret for ${webhook.name}` : `${webhook.name} is added`,
      webhook,
      secret,
      rotated,
    });

  /** Field problems as the form shows them, by the field's id. */
  const formErrors = (problems: { field: string; reason: string }[]) => {
    const names: Record<string, string> = {
      name: 'The name',
      url: 'The URL',
      eventTypes: 'Event types',
      locality: 'The locality',
    };
    const errors: Record<string, string> = {};
    for (const p of problems) {
      const id = FIELD_IDS[p.field.replace(/\.\d+$/, '')] ?? 'name';
      errors[id] ??= `${names[id]} ${p.reason}`;
    }
    return errors;
  };

  /** Parses the posted form; on a problem renders it again (400) and returns null. */
  const posted = (req: Request, res: Response, editing?: WebhookView) => {
    const values = webhookFormValues(req.body as Record<string, unknown>);
    const parsed = newWebhookSchema.safeParse({
      name: values.name,
      url: values.url,
      eventTypes: values.eventTypes,
      locality: values.locality === '' ? null : values.locality,
    });
    const fail = (problems: { field: string; reason: string }[]) => {
      res.status(400);
      form(req, res, values, formErrors(problems), editing);
    };
    return { values, parsed: parsed.success ? parsed.data : null, problems: parsed.error, fail };
  };

  router.post(
    '/admin/webhooks/new',
    kit.admin(async (req, res, user) => {
      const { parsed, problems, fail } = posted(req, res);
      if (!parsed) {
        fail(problems ? fieldProblems('body', problems) : []);
        return;
      }
      try {
        const created = await services.webhooks.create(user, 'pages', parsed);
        secretPage(req, res, created.webhook, created.secret, false);
      } catch (err) {
        if (err instanceof InvalidInput) {
          fail(err.errors);
          return;
        }
        throw err;
      }
    }),
  );

  router.get(
    '/admin/webhooks/:id/edit',
    kit.admin(async (req, res, user) => {
      const w = await services.webhooks.get(user, idOf(req));
      form(
        req,
        res,
        { name: w.name, url: w.url, eventTypes: w.eventTypes, locality: w.locality ?? '' },
        {},
        w,
      );
    }),
  );

  router.post(
    '/admin/webhooks/:id/edit',
    kit.admin(async (req, res, user) => {
      const w = await services.webhooks.get(user, idOf(req));
      const { parsed, problems, fail } = posted(req, res, w);
      if (!parsed) {
        fail(problems ? fieldProblems('body', problems) : []);
        return;
      }
      try {
        await services.webhooks.change(user, 'pages', w.id, {
          ...parsed,
          locality: parsed.locality ?? null,
        });
      } catch (err) {
        if (err instanceof InvalidInput) {
          fail(err.errors);
          return;
        }
        throw err;
      }
      res.redirect(303, `/admin/webhooks/${w.id}?done=changed`);
    }),
  );

  const show = async (req: Request, res: Response, user: User) => {
    const id = idOf(req);
    const webhook = await services.webhooks.get(user, id);
    const deliveries = await services.webhooks.deliveries(user, id, { limit: 50 });
    kit.render(req, res, 'admin/webhook', {
      title: webhook.name,
      notice: typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined,
      webhook,
      summary: webhookSummary(webhook),
      missedItems: WEBHOOK_MISSED_CHOICES.map((c, i) => ({
        value: c,
        text: c === 'deliver' ? 'Send them, in order' : 'Drop them',
        checked: i === 0,
      })),
      deliveryHead: DELIVERY_HEAD,
      deliveries: deliveryRows(deliveries),
    });
  };

  router.get('/admin/webhooks/:id', kit.admin(show));

  const act = (path: string, run: (req: Request, user: User, id: string) => Promise<string>) =>
    router.post(
      `/admin/webhooks/:id/${path}`,
      kit.admin(async (req, res, user) => {
        const id = idOf(req);
        const done = await run(req, user, id);
        res.redirect(
          303,
          done === 'deleted'
            ? '/admin/webhooks?done=deleted'
            : `/admin/webhooks/${id}?done=${done}`,
        );
      }),
    );

  const body = (req: Request) => req.body as Record<string, unknown>;
  act('pause', async (req, user, id) => {
    const reason = typeof body(req).reason === 'string' ? String(body(req).reason).trim() : '';
    await services.webhooks.pause(user, 'pages', id, reason ? reason.slice(0, 500) : undefined);
    return 'paused';
  });
  act('resume', async (req, user, id) => {
    await services.webhooks.resume(
      user,
      'pages',
      id,
      body(req).missed === 'drop' ? 'drop' : 'deliver',
    );
    return 'resumed';
  });
  act('delete', async (_req, user, id) => {
    await services.webhooks.delete(user, 'pages', id);
    return 'deleted';
  });
  act('redeliver', async (req, user, id) => {
    const delivery = deliveryIdSchema.safeParse(body(req).delivery);
    if (!delivery.success) throw new NotFound('There is no such delivery.');
    await services.webhooks.redeliver(user, 'pages', id, delivery.data);
    return 'redelivered';
  });

  router.post(
    '/admin/webhooks/:id/rotate-secret',
    kit.admin(async (req, res, user) => {
      const rotated = await services.webhooks.rotateSecret(user, 'pages', idOf(req));
      secretPage(req, res, rotated.webhook, rotated.secret, true);
    }),
  );
  return router;
}
