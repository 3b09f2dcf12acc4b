/** A barrier's page and its action forms. */
import { Router, type Request, type Response } from 'express';
import { availableActions } from '../../domain/barrier/action-rules.ts';
import { barrierActionSchema } from '../../domain/barrier/schemas.ts';
import { actionStateOf } from '../../services/barriers.ts';
import { InvalidInput, fieldProblems, isServiceError } from '../../services/errors.ts';
import { scopeOf } from '../../domain/access.ts';
import { statusOf } from '../errors.ts';
import type { PageKit, User } from '../kit.ts';
import {
  actionBody,
  actionForms,
  doneNotice,
  failedFields,
  refusedField,
  type FailedField,
} from '../presenters/barrier-actions.ts';
import { barrierPageView, peopleOnBarrierPage } from '../presenters/barrier-page.ts';

export function barrierRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();

  async function page(
    req: Request,
    res: Response,
    user: User,
    id: string,
    extra: { done?: unknown; failed?: FailedField[] } = {},
  ) {
    const { barrier: b, timeline } = await services.barriers.withTimeline(user, id);
    const [followers, names] = await Promise.all([
      services.barriers.followers(user, b),
      services.barriers.namesOf(peopleOnBarrierPage(b, timeline)),
    ]);
    const now = Date.now();
    const failed = extra.failed ?? [];
    kit.render(req, res, 'barrier', {
      ...barrierPageView(b, timeline, now, names),
      notice: doneNotice(extra.done, b._id),
      followers,
      errors: failed.map((f) => ({ text: f.text, href: `#${f.type}-${f.field}` })),
      actions: actionForms(
        availableActions(user, { ...scopeOf(b), ...actionStateOf(b) }, now),
        failed,
      ),
    });
  }

  router.post(
    '/barriers/:id/following',
    kit.signedIn(async (req, res, user) => {
      const b = await services.barriers.visible(user, String(req.params.id));
      const follow = (req.body as Record<string, unknown>).following === 'true';
      await services.barriers.setFollowing(user, b, follow);
      res.redirect(303, `/barriers/${b._id}?done=${follow ? 'follow' : 'unfollow'}`);
    }),
  );

  router.get(
    '/barriers/:id',
    kit.signedIn((req, res, user) =>
      page(req, res, user, String(req.params.id), { done: req.query.done }),
    ),
  );

  router.post(
    '/barriers/:id/actions',
    kit.signedIn(async (req, res, user) => {
      const id = String(req.params.id);
      const b = await services.barriers.visible(user, id);
      const body = actionBody(req.body as Record<string, unknown>);
      const type = String(body.type);
      const fail = async (status: number, failed: FailedField[]) => {
        res.status(status);
        await page(req, res, user, id, { failed });
      };
      const parsed = barrierActionSchema.safeParse(body);
      if (!parsed.success)
        return fail(400, failedFields(type, fieldProblems('body', parsed.error)));
      try {
        await services.barriers.act(user, 'pages', b, parsed.data);
      } catch (err) {
        if (!isServiceError(err)) throw err;
        const problems = err instanceof InvalidInput ? err.errors : [];
        return fail(statusOf(err), [refusedField(type, err.detail, problems)]);
      }
      res.redirect(303, `/barriers/${id}?done=${encodeURIComponent(type)}`);
    }),
  );

  return router;
}
