/**
 * Publishing a Whitehall ask on the open register, and taking it down: GMCA
 * staff read a preview of exactly what will become public, confirm it holds
 * nothing personal, and publish that. Each act returns to the ask's page
 * with a banner saying what was done.
 */
import { Router, type Request, type Response } from 'express';
import { isServiceError } from '../../services/errors.ts';
import type { StoredAsk } from '../../services/asks.ts';
import type { PageKit, User } from '../kit.ts';
import { errorSummary, field } from '../presenters/admin.ts';
import { publishPreviewView } from '../presenters/open-register.ts';

const GMCA = ['gmca-triage', 'admin'] as const;
/** What a preview's form sends back: the tag of what it showed (services/open-register/public-ask.ts). */
const REVIEW_TAG = /^[\w-]{16,64}$/;
const WHO = 'GMCA triage staff and admins';

export function publishRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();

  /** The page for a refusal from the ask's state (422): why, and the way back. */
  const refused = (req: Request, res: Response, askId: string, title: string, detail: string) =>
    kit.message(req, res, 422, {
      title,
      message: detail,
      link: { href: `/asks/${askId}`, text: `Back to ${askId}` },
    });

  /**
   * The preview of `a` and its form; when the form came back refused,
   * `refusal` gives its status and the errors to show.
   */
  const preview = async (
    req: Request,
    res: Response,
    user: User,
    a: StoredAsk,
    refusal?: { status: 400 | 409; fieldErrors: Record<string, string> },
  ) => {
    const fieldErrors = refusal?.fieldErrors ?? {};
    try {
      const [record, publication] = await Promise.all([
        services.publications.preview(user, a),
        services.publications.of(a._id),
      ]);
      const errors = errorSummary(fieldErrors, ['confirm']);
      if (refusal) res.status(refusal.status);
      kit.render(req, res, 'publish', {
        ...publishPreviewView(a._id, record, publication),
        fieldErrors,
        errors,
      });
    } catch (err) {
      if (!isServiceError(err) || err.kind !== 'rejected') throw err;
      refused(req, res, a._id, 'This ask cannot be published yet', err.detail);
    }
  };

  router.get(
    '/asks/:id/publish',
    kit.forRoles(GMCA, WHO, async (req, res, user) =>
      preview(req, res, user, await services.asks.visible(user, String(req.params.id))),
    ),
  );

  router.post(
    '/asks/:id/publish',
    kit.forRoles(GMCA, WHO, async (req, res, user) => {
      const form = req.body as Record<string, unknown>;
      const a = await services.asks.visible(user, String(req.params.id));
      if (field(form, 'confirm') !== 'yes') {
        await preview(req, res, user, a, {
          status: 400,
          fieldErrors: {
            confirm: 'Confirm that you have read the preview and that it may be published',
          },
        });
        return;
      }
      const reviewed = field(form, 'reviewed');
      if (!REVIEW_TAG.test(reviewed)) {
        await preview(req, res, user, a, {
          status: 400,
          fieldErrors: {
            'preview-heading':
              'The form came back incomplete, so nothing was published: read the preview and publish again',
          },
        });
        return;
      }
      try {
        const p = await services.publications.publish(user, 'pages', a, reviewed);
        const done = p.history.at(-1)?.type === 'updated' ? 'publication-updated' : 'published';
        res.redirect(303, `/asks/${a._id}?done=${done}`);
      } catch (err) {
        if (!isServiceError(err) || (err.kind !== 'conflict' && err.kind !== 'rejected')) throw err;
        if (err.kind === 'rejected') {
          refused(req, res, a._id, 'This ask cannot be published yet', err.detail);
          return;
        }
        // Changed since the preview: show the new preview, saying why.
        await preview(req, res, user, a, {
          status: 409,
          fieldErrors: { 'preview-heading': err.detail },
        });
      }
    }),
  );

  router.post(
    '/asks/:id/unpublish',
    kit.forRoles(GMCA, WHO, async (req, res, user) => {
      const a = await services.asks.visible(user, String(req.params.id));
      try {
        await services.publications.withdraw(user, 'pages', a);
      } catch (err) {
        if (!isServiceError(err) || err.kind !== 'rejected') throw err;
        refused(req, res, a._id, 'There is nothing to withdraw', err.detail);
        return;
      }
      res.redirect(303, `/asks/${a._id}?done=unpublished`);
    }),
  );
  return router;
}
