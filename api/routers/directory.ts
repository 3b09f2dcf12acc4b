/** /api/v1/localities and /api/v1/people: the directory routing reads. Changes are admin-only. */
import { Router } from 'express';
import {
  localityAssignmentsSchema,
  localitySlugSchema,
  neighbourhoodAssignmentsSchema,
  personEmailSchema,
  personSchema,
  slugSchema,
} from '../../domain/directory/schemas.ts';
import type { Services } from '../../services/create-services.ts';
import { requireDirectoryAdmin } from '../../services/directory.ts';
import { parseInput } from '../../services/errors.ts';
import { actorOf } from '../auth.ts';
import {
  localitiesResource,
  peopleResource,
  personResourceSchema,
  savedResource,
} from '../resources.ts';
import { sendResource } from '../respond.ts';

export function directoryRouter(services: Services): Router {
  const router = Router();

  router.get('/localities', async (req, res) => {
    actorOf(req);
    sendResource(res, localitiesResource, { items: await services.directory.localities() });
  });

  router.put('/localities/:locality/assignments', async (req, res) => {
    const actor = requireDirectoryAdmin(actorOf(req));
    const slug = parseInput(localitySlugSchema, req.params.locality, 'path.locality');
    const body = parseInput(localityAssignmentsSchema, req.body, 'body');
    await services.directory.setLocalityAssignments(actor, 'api', slug, body);
    sendResource(res, savedResource, { ok: true });
  });

  router.put(
    '/localities/:locality/neighbourhoods/:neighbourhood/assignments',
    async (req, res) => {
      const actor = requireDirectoryAdmin(actorOf(req));
      const slug = parseInput(localitySlugSchema, req.params.locality, 'path.locality');
      const n = parseInput(slugSchema, req.params.neighbourhood, 'path.neighbourhood');
      const body = parseInput(neighbourhoodAssignmentsSchema, req.body, 'body');
      await services.directory.setNeighbourhoodAssignments(actor, 'api', slug, n, body);
      sendResource(res, savedResource, { ok: true });
    },
  );

  router.get('/people', async (req, res) => {
    sendResource(res, peopleResource, { items: await services.directory.people(actorOf(req)) });
  });

  router.put('/people/:email', async (req, res) => {
    const actor = requireDirectoryAdmin(actorOf(req));
    const email = parseInput(personEmailSchema, req.params.email, 'path.email');
    const body = parseInput(personSchema, req.body, 'body');
    await services.directory.putPerson(actor, 'api', email, body);
    sendResource(res, personResourceSchema, { email, ...body });
  });

  return router;
}
