/**
 * Importing a barrier log (admins, and locality leads for their own
 * locality): the template and columns, the upload and its dry run (every
 * problem by row and column; nothing is written until the person confirms),
 * then the import's progress while its workflow runs.
 */
import { Router, type Request, type Response } from 'express';
import { isServiceError } from '../../services/errors.ts';
import { IMPORTER_ROLES } from '../../domain/access.ts';
import { ImportRefused, importTemplateFile } from '../../services/imports.ts';
import { cleanImportFilename } from '../../domain/import/barrier-import.ts';
import { statusOf } from '../errors.ts';
import type { PageKit, User } from '../kit.ts';
import {
  IMPORTS_PAGE_SIZE,
  importColumnRows,
  importPageView,
  recentImportsView,
  importStartedNotice,
  importProgressText,
  refusedView,
} from '../presenters/imports.ts';
import { pageAsked } from '../presenters/pagination.ts';

export function importRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();

  /** Admins and locality leads; others get a 403 page. */
  const importer = (handler: (req: Request, res: Response, user: User) => Promise<void>) =>
    kit.forRoles(IMPORTER_ROLES, 'admins and locality leads', handler);

  /** The upload page, with an upload that could not be read or a file's problems. */
  const uploadPage = async (
    req: Request,
    res: Response,
    user: User,
    failed: { uploadError?: string; refused?: { filename: string; error: ImportRefused } } = {},
  ) => {
    const { uploadError, refused } = failed;
    kit.render(req, res, 'import', {
      title: 'Import barriers',
      scope: user.role === 'admin' ? 'any locality' : user.locality,
      columns: importColumnRows(),
      ...recentImportsView(
        await services.imports.recent(user, {
          number: pageAsked(req.query.page),
          size: IMPORTS_PAGE_SIZE,
        }),
      ),
      fieldErrors: uploadError ? { upload: uploadError } : {},
      errors: uploadError
        ? [{ text: uploadError, href: '#upload' }]
        : refused
          ? [{ text: refused.error.detail, href: '#problems' }]
          : [],
      refused: refused && refusedView(refused.filename, refused.error),
    });
  };

  router.get(
    '/import',
    importer(async (req, res, user) => uploadPage(req, res, user)),
  );

  router.get(
    '/import/template.csv',
    importer((_req, res) => {
      const { filename, csv } = importTemplateFile();
      res.type('text/csv; charset=utf-8').attachment(filename).send(csv);
      return Promise.resolve();
    }),
  );

  router.post(
    '/import',
    importer(async (req, res, user) => {
      if (typeof res.locals.uploadError === 'string' || !req.file) {
        res.status(400);
        await uploadPage(req, res, user, {
          uploadError:
            (res.locals.uploadError as string | undefined) ?? 'Choose a CSV file to upload',
        });
        return;
      }
      const filename = cleanImportFilename(req.file.originalname);
      try {
        const doc = await services.imports.check(user, {
          filename,
          text: new TextDecoder('utf-8').decode(req.file.buffer),
        });
        res.redirect(303, `/import/${doc._id}`);
      } catch (err) {
        if (!(err instanceof ImportRefused)) throw err;
        res.status(400);
        await uploadPage(req, res, user, { refused: { filename, error: err } });
      }
    }),
  );

  router.get(
    '/import/:id',
    importer(async (req, res, user) => {
      const doc = await services.imports.visible(user, String(req.params.id));
      kit.render(req, res, 'import-status', {
        ...importPageView(doc, await services.imports.plannedRows(doc)),
        notice: importStartedNotice(req.query.done, doc),
      });
    }),
  );

  /** The progress as JSON, for the page's script to show without reloading. */
  router.get(
    '/import/:id/progress',
    importer(async (req, res, user) => {
      const doc = await services.imports.visible(user, String(req.params.id));
      res.json({
        finished: doc.status === 'done',
        done: doc.done,
        total: doc.rows,
        text: importProgressText(doc),
      });
    }),
  );

  router.post(
    '/import/:id/start',
    importer(async (req, res, user) => {
      try {
        const doc = await services.imports.start(user, 'pages', String(req.params.id));
        res.redirect(303, `/import/${doc._id}?done=started`);
      } catch (err) {
        if (!isServiceError(err)) throw err;
        kit.message(req, res, statusOf(err), {
          title: 'The import could not start',
          message: err.detail,
        });
      }
    }),
  );
  return router;
}
