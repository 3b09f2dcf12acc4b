/**
 * The open register's data, for anyone (no credential): every published ask
 * as JSON and CSV, and an Atom feed of new asks and outcomes, under the Open
 * Government Licence. Mounted at /open (where aggregators poll it, with
 * ETag and Last-Modified) and at /api/v1/open beside the rest of the API.
 */
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services/create-services.ts';
import { parseInput } from '../../services/errors.ts';
import { OPEN_LICENCE } from '../../services/open-register/public-ask.ts';
import {
  openRegisterAtom,
  openRegisterCsv,
  openRegisterJson,
  openRegisterQuerySchema,
  openRegisterResource,
} from '../../services/open-register/open-data.ts';
import { registerValidators, type OpenRegister } from '../../services/open-register/register.ts';
import { sendResource } from '../respond.ts';

export function openDataRouter(services: Services, publicBaseUrl: string): Router {
  const router = Router();
  const base = publicBaseUrl.replace(/\/+$/, '');
  const register = async (req: Request, res: Response, filtered = true): Promise<OpenRegister> => {
    // The files take their query as the document describes it: an empty value is not a choice.
    const filters = filtered ? parseInput(openRegisterQuerySchema, req.query, 'query') : {};
    const r = await services.openRegister.list(filters);
    const v = registerValidators(req.originalUrl, r.lastModified);
    res.set('ETag', v.etag);
    if (v.lastModified) res.set('Last-Modified', v.lastModified);
    res.set('Link', `<${OPEN_LICENCE.url}>; rel="license"`);
    return r;
  };
  router.get('/asks.json', async (req, res) => {
    const r = await register(req, res);
    sendResource(res, openRegisterResource, openRegisterJson(r, base));
  });
  router.get('/asks.csv', async (req, res) => {
    const r = await register(req, res);
    res
      .type('text/csv; charset=utf-8')
      .attachment('greater-manchester-whitehall-asks.csv')
      .send(openRegisterCsv(r, base));
  });
  router.get('/asks.atom', async (req, res) => {
    parseInput(openRegisterQuerySchema.pick({}), req.query, 'query');
    const r = await register(req, res, false);
    res.type('application/atom+xml; charset=utf-8').send(openRegisterAtom(r, base));
  });
  return router;
}
