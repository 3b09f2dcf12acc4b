/** The Whitehall asks register, each ask's page and its action forms. */
import { Router, type Request, type Response } from 'express';
import { canRunAsks } from '../../domain/access.ts';
import { availableAskActions, isAskStatus } from '../../domain/ask/action-rules.ts';
import { askActionSchema } from '../../domain/ask/schemas.ts';
import { durationInWords } from '../../domain/format/index.ts';
import { searchText } from '../../domain/search.ts';
import { toCsv } from '../../services/csv.ts';
import { InvalidInput, fieldProblems, isServiceError } from '../../services/errors.ts';
import { askCsvRows } from '../../services/exports.ts';
import { statusOf } from '../errors.ts';
import type { PageKit, User } from '../kit.ts';
import {
  askActionBody,
  askActionItems,
  askDoneNotice,
  askFailedFields,
  askRefusedField,
  failedHref,
  type FailedField,
} from '../presenters/ask-actions.ts';
import { askPageView, peopleOnAskPage } from '../presenters/ask-page.ts';
import { publicationNotice, publicationOnAskPage } from '../presenters/open-register.ts';
import { ASKS_PAGE_SIZE, askRegisterView } from '../presenters/asks.ts';
import { pageAsked } from '../presenters/pagination.ts';

export function askRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();
  router.get(
    '/asks',
    kit.signedIn(async (req, res, user) => {
      const q = searchText(req.query.q);
      const page = await services.asks.page(
        user,
        { q },
        { number: pageAsked(req.query.page), size: ASKS_PAGE_SIZE },
      );
      kit.render(req, res, 'list', askRegisterView(page, q));
    }),
  );
  router.get(
    '/asks.csv',
    kit.signedIn(async (req, res, user) => {
      const { header, rows } = askCsvRows(
        await services.asks.all(user, { q: searchText(req.query.q) }),
      );
      res
        .type('text/csv; charset=utf-8')
        .attachment('whitehall-asks.csv')
        .send(toCsv(header, rows));
    }),
  );
  /** The ask's page; after an action, its banner; after a refused form, its errors. */
  async function page(
    req: Request,
    res: Response,
    user: User,
    id: string,
    extra: {
      done?: unknown;
      barrier?: unknown;
      failed?: FailedField[];
      posted?: Record<string, unknown>;
    } = {},
  ) {
    const a = await services.asks.visible(user, id);
    const [sources, publication] = await Promise.all([
      services.asks.withEvidence(a),
      services.publications.of(a._id),
    ]);
    const names = await services.barriers.namesOf([
      ...peopleOnAskPage(sources),
      ...(publication?.history.map((h) => h.by) ?? []),
    ]);
    const onRegister = publicationOnAskPage(a, publication, canRunAsks(user), names);
    const available =
      canRunAsks(user) && isAskStatus(a.status)
        ? availableAskActions({ status: a.status, barriers: a.barrierIds.length })
        : [];
    const failed = extra.failed ?? [];
    const view = askPageView(sources, Date.now(), names);
    kit.render(req, res, 'ask', {
      ...view,
      facts: [...view.facts, onRegister.fact],
      // Newest first, the ask's own history and its publication's acts together.
      timeline: [...view.timeline, ...onRegister.timeline].sort((x, y) =>
        y.datetime.timestamp.localeCompare(x.datetime.timestamp),
      ),
      // Printed beside a link, so that a printed page still says where it leads.
      baseUrl: kit.deps.publicBaseUrl.replace(/\/$/, ''),
      notice: askDoneNotice(extra.done, a, extra.barrier) ?? publicationNotice(extra.done, a._id),
      errors: failed.map((f) => ({ text: f.text, href: failedHref(f, available) })),
      actions: [
        ...askActionItems({
          askId: a._id,
          responseTime: a.responseTarget
            ? durationInWords(a.responseTarget, a.calendar)
            : undefined,
          available,
          barriers: sources.evidence.barriers.map((b) => ({ id: b.id, title: b.title })),
          failed,
          posted: extra.posted,
        }),
        ...onRegister.actions,
      ],
    });
  }

  router.get(
    '/asks/:id',
    kit.signedIn((req, res, user) =>
      page(req, res, user, String(req.params.id), {
        done: req.query.done,
        barrier: req.query.barrier,
      }),
    ),
  );

  router.post(
    '/asks/:id/actions',
    kit.signedIn(async (req, res, user) => {
      const id = String(req.params.id);
      const a = await services.asks.visible(user, id);
      const posted = req.body as Record<string, unknown>;
      const body = askActionBody(posted);
      const type = String(body.type);
      const fail = async (status: number, failed: FailedField[]) => {
        res.status(status);
        await page(req, res, user, a._id, { failed, posted });
      };
      const parsed = askActionSchema.safeParse(body);
      if (!parsed.success)
        return fail(400, askFailedFields(type, fieldProblems('body', parsed.error)));
      try {
        await services.asks.act(user, a, parsed.data);
      } catch (err) {
        if (!isServiceError(err)) throw err;
        const problems = err instanceof InvalidInput ? err.errors : [];
        return fail(statusOf(err), [askRefusedField(type, err.detail, problems)]);
      }
      const done = new URLSearchParams({ done: parsed.data.type });
      if ('barrierId' in parsed.data) done.set('barrier', parsed.data.barrierId);
      res.redirect(303, `/asks/${a._id}?${done.toString()}`);
    }),
  );

  return router;
}
