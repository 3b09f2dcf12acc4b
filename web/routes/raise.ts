/** Raising a barrier: the question page, its errors, and the confirmation. */
import { Router, type Request, type Response } from 'express';
import { canRaise } from '../../domain/access.ts';
import { raiseBarrierSchema } from '../../domain/barrier/schemas.ts';
import { InvalidInput, fieldProblems, isServiceError } from '../../services/errors.ts';
import { statusOf } from '../errors.ts';
import { london } from '../format.ts';
import type { PageKit, User } from '../kit.ts';
import {
  raiseBody,
  raiseFieldErrors,
  raiseFormView,
  raiseValues,
} from '../presenters/raise-form.ts';

export function raiseRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();

  async function form(
    req: Request,
    res: Response,
    user: User,
    values: Record<string, string>,
    fieldErrors: Record<string, string> = {},
  ) {
    const localities = await services.directory.localityChoices();
    kit.render(req, res, 'raise', raiseFormView(user, localities, values, fieldErrors));
  }

  router.get(
    '/barriers/new',
    kit.signedIn(async (req, res, user) => {
      if (!canRaise(user, user.locality ?? '')) {
        kit.message(req, res, 403, {
          title: 'You cannot raise barriers',
          message: 'Only locality leads raise barriers, in their own locality.',
        });
        return;
      }
      await form(req, res, user, {});
    }),
  );

  router.post(
    '/barriers/new',
    kit.signedIn(async (req, res, user) => {
      const values = raiseValues(req.body as Record<string, unknown>);
      const parsed = raiseBarrierSchema.safeParse(raiseBody(values));
      if (!parsed.success) {
        res.status(400);
        await form(req, res, user, values, raiseFieldErrors(fieldProblems('body', parsed.error)));
        return;
      }
      try {
        const id = await services.barriers.raise(user, parsed.data);
        res.redirect(303, `/barriers/${id}/raised`);
      } catch (err) {
        if (!isServiceError(err)) throw err;
        const problems = err instanceof InvalidInput ? err.errors : [];
        const fieldErrors = raiseFieldErrors(problems);
        if (Object.keys(fieldErrors).length === 0) fieldErrors.title = err.detail;
        res.status(statusOf(err));
        await form(req, res, user, values, fieldErrors);
      }
    }),
  );

  router.get(
    '/barriers/:id/raised',
    kit.signedIn(async (req, res, user) => {
      const b = await services.barriers.visible(user, String(req.params.id));
      kit.render(req, res, 'raised', {
        title: 'Barrier raised',
        id: b._id,
        owner: b.owner?.name ?? 'its owner',
        due: london(b.sla.acknowledgeDueAt),
      });
    }),
  );

  return router;
}
