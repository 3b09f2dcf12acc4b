/** An ask's evidence pack, downloaded as .docx or PDF by anyone who may see the ask. */
import { Router } from 'express';
import { PACK_FORMATS } from '../../domain/ask/pack-formats.ts';
import type { PageKit } from '../kit.ts';

export function askPackRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();
  for (const format of PACK_FORMATS) {
    router.get(
      `/asks/:id/evidence-pack.${format}`,
      kit.signedIn(async (req, res, user) => {
        const a = await services.asks.visible(user, String(req.params.id));
        const pack = await services.evidencePacks.document(a, format);
        res
          .type(pack.contentType)
          .attachment(pack.filename)
          .set('Cache-Control', 'private, no-store')
          .send(pack.body);
      }),
    );
  }
  return router;
}
