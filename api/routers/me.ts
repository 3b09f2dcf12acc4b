/** /api/v1/me/preferences: how the signed-in person wants non-urgent emails. */
import { Router } from 'express';
import { z } from 'zod';
import { DELIVERY_PREFERENCES, URGENT_KINDS } from '../../domain/notifications/messages.ts';
import type { Models } from '../../store/models.ts';
import { actorOf } from '../auth.ts';
import { notFound, parseOr400 } from '../problem.ts';

export const preferencesSchema = z.strictObject({
  delivery: z.enum(DELIVERY_PREFERENCES, {
    error: `must be one of ${DELIVERY_PREFERENCES.join(', ')}`,
  }),
});

const representation = (delivery: string) => ({
  delivery,
  alwaysImmediate: URGENT_KINDS,
});

export function meRouter(models: Models): Router {
  const router = Router();

  router.get('/me/preferences', async (req, res) => {
    const { email } = actorOf(req);
    const person = await models.Person.findById(email, { delivery: 1 }).lean();
    if (!person) throw notFound(`${email} is not in the directory, so has no preferences.`);
    res.json(representation(person.delivery ?? 'immediate'));
  });

  router.put('/me/preferences', async (req, res) => {
    const { email } = actorOf(req);
    const body = parseOr400(preferencesSchema, req.body, 'body');
    const result = await models.Person.updateOne(
      { _id: email },
      { $set: { delivery: body.delivery } },
    );
    if (result.matchedCount === 0)
      throw notFound(`${email} is not in the directory, so has no preferences.`);
    res.json(representation(body.delivery));
  });

  return router;
}
