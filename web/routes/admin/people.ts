/**
 * Administration: people (and machine clients) in the directory. Add, edit
 * name, roles and scope, mark away or back (saying what routing does
 * instead), remove access. Every change goes through the directory service,
 * which audits it.
 */
import { Router, type Request, type Response } from 'express';
import { personEmailSchema, personSchema } from '../../../domain/directory/schemas.ts';
import {
  peopleFilterSchema,
  type getPerson,
  type removeAccess,
} from '../../../services/directory.ts';
import { InvalidInput, fieldProblems, isServiceError } from '../../../services/errors.ts';
import { statusOf } from '../../errors.ts';
import type { PageKit } from '../../kit.ts';
import {
  PERSON_FIELDS,
  assignmentChanges,
  errorSummary,
  personBody,
  personFormView,
  personValues,
  personValuesFromForm,
  type PersonValues,
} from '../../presenters/admin.ts';
import { formErrors } from '../../presenters/form-errors.ts';
import { pageAsked } from '../../presenters/pagination.ts';
import {
  PEOPLE_FILTERS,
  peopleListView,
  peopleValues,
  personHoldsView,
} from '../../presenters/people.ts';

/** How many people the list shows a page. */
const PEOPLE_PAGE_SIZE = 25;

const NOTICES: Record<string, string> = {
  saved: 'Saved. The change applies from their next request.',
  away: 'Marked as away: routing uses their deputy.',
  back: 'Marked as available again.',
  removed: 'Access removed. Their sessions have ended.',
  signedOut: 'Their sessions have ended: they sign in again on their next visit.',
};

export function adminPeopleRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();
  const base = '/admin/people';
  const emailOf = (req: Request) => personEmailSchema.safeParse(String(req.params.email));

  router.get(
    base,
    kit.admin(async (req, res, user) => {
      const values = peopleValues(req.query);
      const parsed = peopleFilterSchema.safeParse(values);
      const fieldErrors = parsed.success
        ? {}
        : formErrors(fieldProblems('query', parsed.error), PEOPLE_FILTERS);
      if (!parsed.success) res.status(400);
      const page = parsed.success
        ? await services.directory.findPeople(
            user,
            parsed.data,
            pageAsked(req.query.page),
            PEOPLE_PAGE_SIZE,
          )
        : { items: [], total: 0, number: 1, size: PEOPLE_PAGE_SIZE };
      kit.render(req, res, 'admin/people', {
        title: 'People',
        notice: typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined,
        head: ['Name', 'Email', 'Roles', 'Scope', 'Availability'],
        fieldErrors,
        errors: errorSummary(fieldErrors, PEOPLE_FILTERS),
        ...peopleListView(page, values, parsed.data),
      });
    }),
  );

  async function form(
    req: Request,
    res: Response,
    values: PersonValues,
    fieldErrors: Record<string, string>,
    editing: boolean,
    holds?: ReturnType<typeof personHoldsView>,
  ) {
    const localities = await services.directory.localityChoices();
    kit.render(req, res, 'admin/person', {
      title: editing ? `Change ${values.name}` : 'Add a person',
      ...personFormView(values, localities, fieldErrors, editing),
      holds,
    });
  }

  router.get(
    `${base}/new`,
    kit.admin(async (req, res) => {
      await form(req, res, personValues(), {}, false);
    }),
  );

  router.get(
    `${base}/:email`,
    kit.admin(async (req, res, user) => {
      const email = emailOf(req);
      if (!email.success) throw new InvalidInput('That is not an email address.');
      const person = await services.directory.person(user, email.data);
      const [assignments, owned] = await Promise.all([
        services.directory.assignmentsOf(person.email),
        services.directory.openBarriersOwnedBy(user, person.email),
      ]);
      await form(req, res, personValues(person), {}, true, personHoldsView(assignments, owned));
    }),
  );

  /** Saves the form for a new person (`editing` false) or an existing one. */
  const save = (editing: boolean) =>
    kit.admin(async (req, res, user) => {
      const values = personValuesFromForm(req.body as Record<string, unknown>);
      if (editing) values.email = String(req.params.email).toLowerCase();
      const fieldErrors: Record<string, string> = {};
      const email = personEmailSchema.safeParse(values.email);
      if (!email.success) fieldErrors.email = 'Enter an email address, like name@example.org';
      const body = personSchema.safeParse(personBody(values));
      if (!body.success)
        Object.assign(fieldErrors, formErrors(fieldProblems('body', body.error), PERSON_FIELDS));
      if (email.success && !editing && (await services.directory.personExists(user, email.data)))
        fieldErrors.email = `${email.data} is already in the directory; change them from the people list`;
      if (!email.success || !body.success || Object.keys(fieldErrors).length > 0) {
        res.status(400);
        await form(req, res, values, fieldErrors, editing);
        return;
      }
      try {
        await services.directory.putPerson(user, 'pages', email.data, body.data);
      } catch (err) {
        if (!isServiceError(err)) throw err;
        const problems = err instanceof InvalidInput ? err.errors : [];
        const errors = formErrors(problems, PERSON_FIELDS);
        if (Object.keys(errors).length === 0) errors.name = err.detail;
        res.status(statusOf(err));
        await form(req, res, values, errors, editing);
        return;
      }
      res.redirect(303, `${base}?done=saved`);
    });
  router.post(`${base}/new`, save(false));
  router.post(`${base}/:email`, save(true));

  /** A confirmation page, then the change. */
  const confirmed = (
    path: string,
    page: (
      email: string,
      p: Awaited<ReturnType<typeof getPerson>>,
    ) => { title: string; lead: string; button: string; warning?: boolean },
    /** What routing does after the change: as if they were away, back, or nothing to say. */
    routing: (p: Awaited<ReturnType<typeof getPerson>>) => 'away' | 'back' | 'unchanged',
    act: (email: string, user: Parameters<typeof removeAccess>[1]) => Promise<string>,
  ) => {
    router.get(
      `${base}/:email/${path}`,
      kit.admin(async (req, res, user) => {
        const email = emailOf(req);
        if (!email.success) throw new InvalidInput('That is not an email address.');
        const p = await services.directory.person(user, email.data);
        const effect = routing(p);
        const changes =
          effect === 'unchanged'
            ? []
            : assignmentChanges(await services.directory.assignmentsOf(p.email), effect === 'away');
        kit.render(req, res, 'admin/confirm', {
          ...page(p.email, p),
          changes,
          noChanges:
            effect === 'unchanged'
              ? undefined
              : 'They are not named as a lead, deputy or specialist anywhere, so routing does not change.',
          action: `${base}/${encodeURIComponent(p.email)}/${path}`,
          cancel: `${base}/${encodeURIComponent(p.email)}`,
        });
      }),
    );
    router.post(
      `${base}/:email/${path}`,
      kit.admin(async (req, res, user) => {
        const email = emailOf(req);
        if (!email.success) throw new InvalidInput('That is not an email address.');
        res.redirect(303, `${base}?done=${await act(email.data, user)}`);
      }),
    );
  };

  confirmed(
    'availability',
    (email, p) =>
      p.available
        ? {
            title: `Mark ${p.name} as away`,
            lead: `While ${p.name} (${email}) is away, routing skips them:`,
            button: 'Mark as away',
          }
        : {
            title: `Mark ${p.name} as available`,
            lead: `${p.name} (${email}) will be routed to again:`,
            button: 'Mark as available',
          },
    (p) => (p.available ? 'away' : 'back'),
    async (email, user) => {
      const p = await services.directory.person(user, email);
      await services.directory.setAvailability(user, 'pages', email, !p.available);
      return p.available ? 'away' : 'back';
    },
  );

  confirmed(
    'remove',
    (email, p) => ({
      title: `Remove ${p.name}'s access`,
      lead: `${p.name} (${email}) will lose every role (${p.roles.join(', ') || 'none'}) and their sessions end at once. Their record stays, because barriers' histories name them. Routing:`,
      button: 'Remove access',
      warning: true,
    }),
    () => 'away',
    async (email, user) => {
      await services.directory.removeAccess(user, 'pages', email);
      return 'removed';
    },
  );

  confirmed(
    'sessions',
    (email, p) => ({
      title: `Sign ${p.name} out everywhere`,
      lead: `Every Golden Thread session of ${p.name} (${email}) ends now; their access does not change, and they can sign in again. Use this when a device is lost or shared.`,
      button: 'End their sessions',
      warning: true,
    }),
    () => 'unchanged',
    async (email, user) => {
      await services.directory.endSessions(user, 'pages', email);
      return 'signedOut';
    },
  );

  return router;
}
