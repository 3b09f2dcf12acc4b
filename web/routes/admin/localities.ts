/**
 * Administration: localities and neighbourhoods — locality leads, each
 * neighbourhood's lead and deputy, and category specialists. Only what
 * changed is saved (and audited).
 */
import { Router, type Request, type Response } from 'express';
import {
  localityAssignmentsSchema,
  localitySlugSchema,
  neighbourhoodAssignmentsSchema,
} from '../../../domain/directory/schemas.ts';
import { InvalidInput, NotFound, fieldProblems, isServiceError } from '../../../services/errors.ts';
import { statusOf } from '../../errors.ts';
import type { PageKit, User } from '../../kit.ts';
import {
  localityChanges,
  localityFormView,
  localityPosted,
  localityRows,
  postedEmails,
  type LocalityPosted,
} from '../../presenters/admin.ts';

export function adminLocalityRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();

  router.get(
    '/admin/localities',
    kit.admin(async (req, res) => {
      kit.render(req, res, 'admin/localities', {
        title: 'Localities and neighbourhoods',
        notice: req.query.done === 'saved' ? 'Saved. Routing uses it from now on.' : undefined,
        head: ['Locality', 'Locality leads', 'Neighbourhoods'],
        rows: localityRows(await services.directory.localities()),
      });
    }),
  );

  async function locality(req: Request) {
    const slug = localitySlugSchema.safeParse(String(req.params.slug));
    const l = slug.success
      ? (await services.directory.localities()).find((x) => x.slug === slug.data)
      : undefined;
    if (!l) throw new NotFound(`There is no locality ${String(req.params.slug)}.`);
    return l;
  }

  async function form(
    req: Request,
    res: Response,
    user: User,
    l: Awaited<ReturnType<typeof locality>>,
    fieldErrors: Record<string, string> = {},
    posted?: LocalityPosted,
  ) {
    // The choices are the locality's own people (and whoever holds a post now), not the
    // whole directory: a list of every person in every select made the page enormous.
    const current = [
      ...l.neighbourhoods.flatMap((n) => [n.lead?.email, n.deputy?.email]),
      ...l.specialists.map((x) => x.person?.email),
      ...(posted ? postedEmails(posted) : []),
    ].filter((e): e is string => Boolean(e));
    const people = await services.directory.localityPostCandidates(user, l.slug, [
      ...new Set(current),
    ]);
    kit.render(req, res, 'admin/locality', localityFormView(l, people, fieldErrors, posted));
  }

  router.get(
    '/admin/localities/:slug',
    kit.admin(async (req, res, user) => {
      await form(req, res, user, await locality(req));
    }),
  );

  router.post(
    '/admin/localities/:slug',
    kit.admin(async (req, res, user) => {
      const l = await locality(req);
      const wanted = localityChanges(
        req.body as Record<string, unknown>,
        l.neighbourhoods.map((n) => n.slug),
      );
      // A refused form is drawn from what was posted, so nothing typed is lost.
      const posted = localityPosted(
        req.body as Record<string, unknown>,
        l.neighbourhoods.map((n) => n.slug),
      );
      const fail = async (status: number, errors: Record<string, string>) => {
        res.status(status);
        await form(req, res, user, l, errors, posted);
      };
      const body = localityAssignmentsSchema.safeParse(wanted.locality);
      if (!body.success) {
        const first = fieldProblems('body', body.error)[0];
        await fail(400, { leads: `Locality leads ${first?.reason ?? 'are not valid'}` });
        return;
      }
      const hoods = wanted.neighbourhoods.map((n) => ({
        ...n,
        parsed: neighbourhoodAssignmentsSchema.safeParse(n.body),
      }));
      const bad = hoods.find((n) => !n.parsed.success);
      if (bad) {
        await fail(400, { [`lead-${bad.slug}`]: 'Choose people from the list' });
        return;
      }
      try {
        const sameLeads = body.data.leads?.join() === l.leads.map((p) => p?.email).join();
        const sameSpecialists =
          JSON.stringify(body.data.specialists) ===
          JSON.stringify(
            l.specialists
              .filter((s) => s.person)
              .map((s) => ({ category: s.category, email: s.person!.email })),
          );
        if (!sameLeads || !sameSpecialists)
          await services.directory.setLocalityAssignments(user, 'pages', l.slug, body.data);
        for (const n of hoods) {
          const before = l.neighbourhoods.find((x) => x.slug === n.slug)!;
          if (
            (before.lead?.email ?? null) !== n.body.lead ||
            (before.deputy?.email ?? null) !== n.body.deputy
          )
            await services.directory.setNeighbourhoodAssignments(
              user,
              'pages',
              l.slug,
              n.slug,
              n.body,
            );
        }
      } catch (err) {
        if (!isServiceError(err)) throw err;
        const reason =
          err instanceof InvalidInput ? (err.errors[0]?.reason ?? err.detail) : err.detail;
        await fail(statusOf(err), { leads: `Locality leads or specialists: ${reason}` });
        return;
      }
      res.redirect(303, '/admin/localities?done=saved');
    }),
  );

  return router;
}
