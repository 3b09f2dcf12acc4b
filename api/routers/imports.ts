/**
 * /api/v1/imports: import a locality's existing barrier log. POST the CSV
 * (text/csv) for the dry run; a clean file becomes an import to start, a file
 * with problems is refused with each by row and column. Start it, then follow
 * its progress.
 */
import express, { Router } from 'express';
import type { Services } from '../../services/create-services.ts';
import { parseInput } from '../../services/errors.ts';
import { requireImporter } from '../../services/access.ts';
import { MAX_IMPORT_BYTES, importTemplateFile } from '../../services/imports.ts';
import { actorOf } from '../auth.ts';
import { HttpProblem } from '../problem.ts';
import { importRepresentation } from '../representations.ts';
import { importResource } from '../resources.ts';
import { sendResource } from '../respond.ts';
import { importFilenameSchema, importIdSchema } from '../schemas.ts';

/** The CSV body, read as UTF-8 text (the JSON-only rule of the rest of the API exempts it). */
export const csvBody = express.text({ type: 'text/csv', limit: MAX_IMPORT_BYTES });

export function importsRouter(services: Services): Router {
  const router = Router();

  router.get('/template', (req, res) => {
    requireImporter(actorOf(req));
    const { filename, csv } = importTemplateFile();
    res.type('text/csv; charset=utf-8').attachment(filename).send(csv);
  });

  router.post('/', async (req, res) => {
    const { filename } = parseInput(importFilenameSchema, req.query, 'query');
    const body: unknown = req.body;
    if (body !== undefined && typeof body !== 'string')
      throw new HttpProblem(415, 'Unsupported media type', 'Send the barrier log as text/csv.', {
        type: 'unsupported-media-type',
      });
    const text = body ?? '';
    const doc = await services.imports.check(actorOf(req), { filename, text });
    res.location(`/api/v1/imports/${doc._id}`);
    sendResource(res, importResource, importRepresentation(doc), 201);
  });

  router.get('/:id', async (req, res) => {
    const id = parseInput(importIdSchema, req.params.id, 'path.id');
    sendResource(
      res,
      importResource,
      importRepresentation(await services.imports.visible(actorOf(req), id)),
    );
  });

  router.post('/:id/start', async (req, res) => {
    const id = parseInput(importIdSchema, req.params.id, 'path.id');
    const doc = await services.imports.start(actorOf(req), 'api', id);
    res.location(`/api/v1/imports/${doc._id}`);
    sendResource(res, importResource, importRepresentation(doc), 202);
  });
  return router;
}
