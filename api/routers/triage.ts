/** /api/v1/triage: GMCA's queue of escalated barriers, most urgent first, with duplicate hints. */
import { Router } from 'express';
import { byUrgency, likelyDuplicates, type TriageItem } from '../../domain/triage/triage.ts';
import { canRunAsks } from '../../domain/barrier/access.ts';
import type { Models } from '../../store/models.ts';
import { actorOf } from '../auth.ts';
import { forbidden, parseOr400 } from '../problem.ts';
import { barrierResource } from '../representations.ts';
import { triageQuerySchema } from '../schemas.ts';

/** The queue is short by nature; this bounds a pathological one. */
const QUEUE_LIMIT = 2_000;

export function triageRouter(models: Models): Router {
  const router = Router();

  router.get('/triage', async (req, res) => {
    const actor = actorOf(req);
    if (!canRunAsks(actor)) throw forbidden('The triage queue is for GMCA triage staff.');
    const q = parseOr400(triageQuerySchema, req.query, 'query');
    const filter: Record<string, unknown> = { stage: 'gmca', status: 'open' };
    if (q.locality) filter.locality = q.locality;
    if (q.category) filter.category = q.category;
    if (q.focusArea) filter.focusArea = q.focusArea;
    const queue = await models.Barrier.find(filter).limit(QUEUE_LIMIT).lean();

    // Localities sharing each barrier: its own and those merged into it.
    const mergedIds = queue.flatMap((b) => b.mergedFrom ?? []);
    const merged = await models.Barrier.find({ _id: { $in: mergedIds } }, { locality: 1 }).lean();
    const localityOf = new Map(merged.map((m) => [m._id, m.locality]));
    const items = queue.map((b) => ({
      doc: b,
      item: {
        id: b._id,
        title: b.title,
        locality: b.locality,
        category: b.category,
        focusArea: b.focusArea ?? null,
        breached: Boolean(b.breached),
        nextDeadlineAt: b.nextDeadlineAt?.getTime() ?? null,
        peopleAffected: b.peopleAffected ?? null,
        localities: new Set([
          b.locality,
          ...(b.mergedFrom ?? []).map((id) => localityOf.get(id) ?? b.locality),
        ]).size,
      } satisfies TriageItem,
    }));
    items.sort((a, b) => byUrgency(a.item, b.item));

    // Duplicates may sit anywhere on the ladder, so compare with every open barrier of the categories.
    const candidates = await models.Barrier.find(
      { status: 'open', category: { $in: [...new Set(queue.map((b) => b.category))] } },
      { title: 1, locality: 1, category: 1, focusArea: 1, reference: 1, stage: 1 },
    )
      .limit(10 * QUEUE_LIMIT)
      .lean();
    const others = candidates.map((c) => ({
      id: c._id,
      title: c.title,
      locality: c.locality,
      category: c.category,
      focusArea: c.focusArea ?? null,
    }));
    const stageOf = new Map(candidates.map((c) => [c._id, c.stage]));
    res.json({
      items: items.map(({ doc, item }) => ({
        ...barrierResource(doc),
        localitiesSharing: item.localities,
        likelyDuplicates: likelyDuplicates(item, others).map((d) => ({
          ...d,
          stage: stageOf.get(d.id) ?? null,
        })),
      })),
    });
  });

  return router;
}
