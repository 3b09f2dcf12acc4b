/** /api/v1/localities and /api/v1/people: the directory routing reads. Changes are admin-only. */
import { Router } from 'express';
import { z } from 'zod';
import { CATEGORIES, ROLES } from '../../domain/reference-data.ts';
import type { Models } from '../../store/models.ts';
import { actorOf } from '../auth.ts';
import { badRequest, forbidden, notFound, parseOr400 } from '../problem.ts';
import { localitySlugSchema, slugSchema } from '../schemas.ts';

const email = z.email('must be an email address').toLowerCase();

export const neighbourhoodAssignmentsSchema = z
  .strictObject({ lead: email.nullable().optional(), deputy: email.nullable().optional() })
  .refine((v) => v.lead !== undefined || v.deputy !== undefined, 'must set lead, deputy or both');

export const localityAssignmentsSchema = z
  .strictObject({
    leads: z.array(email).min(1, 'must name at least one locality lead').max(10).optional(),
    specialists: z
      .array(
        z.strictObject({
          category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(', ')}` }),
          email,
        }),
      )
      .max(20)
      .optional(),
  })
  .refine(
    (v) => v.leads !== undefined || v.specialists !== undefined,
    'must set leads, specialists or both',
  );

export const personSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  roles: z
    .array(z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }))
    .max(4)
    .default([]),
  locality: localitySlugSchema.nullable().default(null),
  neighbourhood: slugSchema.nullable().default(null),
  available: z.boolean().default(true),
});

export function directoryRouter(models: Models): Router {
  const router = Router();
  const requireAdmin = (req: Parameters<Parameters<typeof router.get>[1]>[0]) => {
    if (actorOf(req).role !== 'admin') throw forbidden('Only an admin may change the directory.');
  };

  /** Fails with a 400 naming `field` when any email is not a person in the directory. */
  async function requirePeople(emails: (string | null | undefined)[], field: string) {
    const wanted = [...new Set(emails.filter((e): e is string => Boolean(e)))];
    const found = new Set(
      (await models.Person.find({ _id: { $in: wanted } }, { _id: 1 }).lean()).map((p) => p._id),
    );
    const missing = wanted.filter((e) => !found.has(e));
    if (missing.length > 0) {
      throw badRequest(
        `Not in the directory: ${missing.join(', ')}. Add them with PUT /api/v1/people/{email} first.`,
        [{ field, reason: `names people not in the directory: ${missing.join(', ')}` }],
      );
    }
  }

  router.get('/localities', async (req, res) => {
    actorOf(req);
    const [localities, people] = await Promise.all([
      models.Locality.find().sort({ _id: 1 }).lean(),
      models.Person.find({}, { name: 1, available: 1 }).lean(),
    ]);
    const person = (e: string | null | undefined) => {
      const p = e ? people.find((x) => x._id === e) : undefined;
      return p ? { email: p._id, name: p.name, available: p.available } : null;
    };
    res.json({
      items: localities.map((l) => ({
        slug: l._id,
        name: l.name,
        leads: l.leads.map(person).filter(Boolean),
        specialists: l.specialists.map((s) => ({ category: s.category, person: person(s.email) })),
        neighbourhoods: l.neighbourhoods.map((n) => ({
          slug: n.slug,
          name: n.name,
          lead: person(n.lead),
          deputy: person(n.deputy),
        })),
      })),
    });
  });

  router.put('/localities/:locality/assignments', async (req, res) => {
    requireAdmin(req);
    const slug = parseOr400(localitySlugSchema, req.params.locality, 'path.locality');
    const body = parseOr400(localityAssignmentsSchema, req.body, 'body');
    await requirePeople(
      [...(body.leads ?? []), ...(body.specialists ?? []).map((s) => s.email)],
      'body',
    );
    const set: Record<string, unknown> = {};
    if (body.leads) set.leads = body.leads;
    if (body.specialists) set.specialists = body.specialists;
    const r = await models.Locality.updateOne({ _id: slug }, { $set: set });
    if (r.matchedCount === 0) throw notFound(`There is no locality ${slug}.`);
    res.json({ ok: true });
  });

  router.put(
    '/localities/:locality/neighbourhoods/:neighbourhood/assignments',
    async (req, res) => {
      requireAdmin(req);
      const slug = parseOr400(localitySlugSchema, req.params.locality, 'path.locality');
      const n = parseOr400(slugSchema, req.params.neighbourhood, 'path.neighbourhood');
      const body = parseOr400(neighbourhoodAssignmentsSchema, req.body, 'body');
      await requirePeople([body.lead, body.deputy], 'body');
      const locality = await models.Locality.findById(slug);
      const hood = locality?.neighbourhoods.find((x) => x.slug === n);
      if (!locality || !hood) throw notFound(`There is no neighbourhood ${n} in ${slug}.`);
      if (body.lead !== undefined) hood.lead = body.lead;
      if (body.deputy !== undefined) hood.deputy = body.deputy;
      await locality.save();
      res.json({ ok: true });
    },
  );

  router.get('/people', async (req, res) => {
    requireAdmin(req);
    const people = await models.Person.find().sort({ _id: 1 }).lean();
    res.json({ items: people.map(({ _id, ...p }) => ({ email: _id, ...p })) });
  });

  router.put('/people/:email', async (req, res) => {
    requireAdmin(req);
    const id = parseOr400(email, req.params.email, 'path.email');
    const body = parseOr400(personSchema, req.body, 'body');
    if (body.locality) {
      const locality = await models.Locality.findById(body.locality).lean();
      if (
        body.neighbourhood &&
        !locality?.neighbourhoods.some((x) => x.slug === body.neighbourhood)
      ) {
        throw badRequest(`${body.neighbourhood} is not a neighbourhood of ${body.locality}.`, [
          { field: 'body.neighbourhood', reason: `is not a neighbourhood of ${body.locality}` },
        ]);
      }
    }
    await models.Person.updateOne({ _id: id }, { $set: body }, { upsert: true });
    res.json({ email: id, ...body });
  });

  return router;
}
