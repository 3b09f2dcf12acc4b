/** /api/v1/asks: the Whitehall asks register, one ask, and its actions. */
import { Router } from 'express';
import { newAskSchema } from '../../domain/barrier/schemas.ts';
import {
  askActionSchema,
  listAsksQuerySchema,
  publishAskSchema,
} from '../../domain/ask/schemas.ts';
import type { Actor } from '../../domain/barrier/types.ts';
import type { StoredAsk } from '../../services/asks.ts';
import { isServiceError } from '../../services/errors.ts';
import { openAskUrl, publicRecordJson } from '../../services/open-register/open-data.ts';
import { reviewTag, type PublicAsk } from '../../services/open-register/public-ask.ts';
import { evidencePackQuerySchema } from '../../domain/ask/pack-formats.ts';
import type { AskEvidence } from '../../services/read-model.ts';
import { requireAskRunner } from '../../services/access.ts';
import type { Services } from '../../services/create-services.ts';
import { parseInput } from '../../services/errors.ts';
import { actorOf } from '../auth.ts';
import { toCsv } from '../../services/csv.ts';
import { askCsvRows } from '../../services/exports.ts';
import { askDetailResource, askResource } from '../representations.ts';
import { askIdSchema } from '../schemas.ts';
import { askDetailResourceSchema, askListResource, publicationResource } from '../resources.ts';
import { sendResource } from '../respond.ts';

export function asksRouter(services: Services, publicBaseUrl = 'http://localhost:3000'): Router {
  const router = Router();
  const pathId = (raw: unknown) => parseInput(askIdSchema, raw, 'path.id');

  router.post('/', async (req, res) => {
    const actor = requireAskRunner(actorOf(req));
    const body = parseInput(newAskSchema, req.body, 'body');
    const view = await services.asks.create(actor, body);
    const detail = await services.asks.reread(view.id);
    res.location(`/api/v1/asks/${detail.ask._id}`);
    sendResource(res, askDetailResourceSchema, askDetailResource(detail), 201);
  });

  router.get('/', async (req, res) => {
    const q = parseInput(listAsksQuerySchema, req.query, 'query');
    const asks = await services.asks.list(actorOf(req), q);
    if (q.format === 'csv') {
      const { header, rows } = askCsvRows(asks);
      res
        .type('text/csv; charset=utf-8')
        .attachment('whitehall-asks.csv')
        .send(toCsv(header, rows));
      return;
    }
    sendResource(res, askListResource, {
      items: asks.map((a) => askResource(a, (a.evidence ?? null) as AskEvidence | null)),
    });
  });

  router.get('/:id', async (req, res) => {
    const a = await services.asks.visible(actorOf(req), pathId(req.params.id));
    sendResource(res, askDetailResourceSchema, askDetailResource(await services.asks.detail(a)));
  });

  router.get('/:id/evidence-pack', async (req, res) => {
    const { format } = parseInput(evidencePackQuerySchema, req.query, 'query');
    const a = await services.asks.visible(actorOf(req), pathId(req.params.id));
    const pack = await services.evidencePacks.document(a, format);
    res
      .type(pack.contentType)
      .attachment(pack.filename)
      .set('Cache-Control', 'private, no-store')
      .send(pack.body);
  });

  router.post('/:id/actions', async (req, res) => {
    const actor = requireAskRunner(actorOf(req));
    const a = await services.asks.visible(actor, pathId(req.params.id));
    const action = parseInput(askActionSchema, req.body, 'body');
    await services.asks.act(actor, a, action);
    sendResource(
      res,
      askDetailResourceSchema,
      askDetailResource(await services.asks.detailAfterChange(a)),
    );
  });

  /** Where the ask stands on the open register, with the preview of publishing it now. */
  const publicationView = async (actor: Actor, a: StoredAsk) => {
    const p = await services.publications.of(a._id);
    let preview: PublicAsk | null = null;
    let reason: string | null = null;
    try {
      preview = await services.publications.preview(actor, a);
    } catch (err) {
      if (!isServiceError(err) || err.kind !== 'rejected') throw err;
      reason = err.detail;
    }
    return {
      askId: a._id,
      status: p?.status ?? 'not-published',
      publishedVersion: p?.version ?? null,
      firstPublishedAt: p?.firstPublishedAt.toISOString() ?? null,
      publishedAt: p?.publishedAt.toISOString() ?? null,
      withdrawnAt: p?.withdrawnAt?.toISOString() ?? null,
      url: p?.status === 'published' ? openAskUrl(publicBaseUrl, a._id) : null,
      history: (p?.history ?? []).map((h) => ({
        type: h.type,
        at: h.at.toISOString(),
        by: h.by,
        version: h.version,
      })),
      preview: preview && publicRecordJson(preview),
      previewVersion: preview ? preview.version : null,
      previewTag: preview ? reviewTag(preview) : null,
      publishable: { ok: preview !== null, reason },
    };
  };

  router.get('/:id/publication', async (req, res) => {
    const actor = requireAskRunner(actorOf(req));
    const a = await services.asks.visible(actor, pathId(req.params.id));
    sendResource(res, publicationResource, await publicationView(actor, a));
  });

  router.put('/:id/publication', async (req, res) => {
    const actor = requireAskRunner(actorOf(req));
    const a = await services.asks.visible(actor, pathId(req.params.id));
    const { previewTag } = parseInput(publishAskSchema, req.body, 'body');
    await services.publications.publish(actor, 'api', a, previewTag);
    sendResource(res, publicationResource, await publicationView(actor, a));
  });

  router.delete('/:id/publication', async (req, res) => {
    const actor = requireAskRunner(actorOf(req));
    const a = await services.asks.visible(actor, pathId(req.params.id));
    await services.publications.withdraw(actor, 'api', a);
    sendResource(res, publicationResource, await publicationView(actor, a));
  });

  return router;
}
