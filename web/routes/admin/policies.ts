/**
 * Administration: SLA policy versions. List them with how many open barriers
 * each holds; add a version from a form or pasted JSON, with field errors and
 * a preview of the deadlines it gives; move the open barriers of one version
 * onto another after a confirmation page that says how many and what changes,
 * then follow the move (a workflow) on its own page as it goes.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { policySchema, previewTargets } from '../../../domain/policy/policy.ts';
import { fieldProblems, isServiceError } from '../../../services/errors.ts';
import type { listPolicyVersions } from '../../../services/policies.ts';
import { statusOf } from '../../errors.ts';
import type { PageKit } from '../../kit.ts';
import {
  errorSummary,
  policyDocument,
  policyFieldErrors,
  policyFormView,
  policyRows,
  policyValues,
  policyValuesFromForm,
} from '../../presenters/admin.ts';
import { policyMoveProgressText, policyMoveView } from '../../presenters/policy-move.ts';

const migrationForm = z.object({
  policyId: z.string().regex(/^[a-z0-9-]{1,40}$/),
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});

export function adminPolicyRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();

  router.get(
    '/admin/policies',
    kit.admin(async (req, res, user) => {
      const versions = await services.policies.versions(user);
      const counts = await services.policies.openBarrierCounts(user, versions);
      kit.render(req, res, 'admin/policies', {
        title: 'SLA policies',
        notice:
          req.query.done === 'added' ? 'The new version is saved. New barriers use it.' : undefined,
        head: ['Version', 'Name', 'Targets', 'Open barriers', 'Added'],
        rows: policyRows(versions, counts),
      });
    }),
  );

  const form = (req: Request, res: Response, ...view: Parameters<typeof policyFormView>) =>
    kit.render(req, res, 'admin/policy', policyFormView(...view));

  router.get(
    '/admin/policies/new',
    kit.admin(async (req, res, user) => {
      const versions = await services.policies.versions(user);
      const latest = versions.find((v) => v.id === services.policies.defaultPolicy.id);
      const policy = latest ? policySchema.parse(latest.policy) : services.policies.defaultPolicy;
      form(req, res, policyValues(policy, (latest?.version ?? policy.version) + 1), {});
    }),
  );

  router.post(
    '/admin/policies/new',
    kit.admin(async (req, res, user) => {
      const form$ = req.body as Record<string, unknown>;
      const values = policyValuesFromForm(form$);
      if (typeof res.locals.uploadError === 'string') {
        res.status(400);
        form(req, res, values, { upload: res.locals.uploadError });
        return;
      }
      // An uploaded document stands in for the pasted one (and is shown there if it has problems).
      if (req.file) values.json = req.file.buffer.toString('utf8');
      const doc = policyDocument(values);
      if (doc === undefined) {
        res.status(400);
        form(req, res, values, {
          json: 'The JSON could not be read: check its brackets and quotes',
        });
        return;
      }
      const parsed = policySchema.safeParse(doc);
      if (!parsed.success) {
        res.status(400);
        form(
          req,
          res,
          values,
          policyFieldErrors(fieldProblems('body', parsed.error), Boolean(values.json)),
        );
        return;
      }
      if (form$.intent === 'preview') {
        const now = Date.now();
        form(req, res, values, {}, { now, ...previewTargets(parsed.data, now) });
        return;
      }
      try {
        await services.policies.add(user, 'pages', parsed.data);
      } catch (err) {
        if (!isServiceError(err)) throw err;
        res.status(statusOf(err));
        form(req, res, values, { [values.json ? 'json' : 'version']: err.detail });
        return;
      }
      res.redirect(303, '/admin/policies?done=added');
    }),
  );

  /** The default policy's versions as select items, read once; `chosen` selected. */
  const versionChoices = async (user: Parameters<typeof listPolicyVersions>[1]) => {
    const versions = (await services.policies.versions(user)).filter(
      (v) => v.id === services.policies.defaultPolicy.id,
    );
    return (chosen?: number) =>
      versions.map((v) => ({
        value: String(v.version),
        text: `Version ${v.version}`,
        selected: v.version === chosen,
      }));
  };

  router.get(
    '/admin/policies/migrate',
    kit.admin(async (req, res, user) => {
      const items = (await versionChoices(user))();
      kit.render(req, res, 'admin/migrate', {
        title: 'Move open barriers to another policy version',
        policyId: services.policies.defaultPolicy.id,
        fromItems: items,
        toItems: items.map((i, n) => ({ ...i, selected: n === 0 })),
        errors: [],
        fieldErrors: {},
      });
    }),
  );

  router.post(
    '/admin/policies/migrate/check',
    kit.admin(async (req, res, user) => {
      const parsed = migrationForm.safeParse(req.body);
      const planned = parsed.success
        ? await services.policies
            .planMigration(user, parsed.data.policyId, parsed.data.from, parsed.data.to)
            .catch((err: unknown) => {
              if (isServiceError(err)) return err;
              throw err;
            })
        : undefined;
      if (!planned || isServiceError(planned)) {
        const fieldErrors = { to: planned?.detail ?? 'Choose the versions to move between' };
        const choices = await versionChoices(user);
        res.status(400);
        kit.render(req, res, 'admin/migrate', {
          title: 'Move open barriers to another policy version',
          policyId: services.policies.defaultPolicy.id,
          fromItems: choices(parsed.data?.from),
          toItems: choices(parsed.data?.to),
          errors: errorSummary(fieldErrors),
          fieldErrors,
        });
        return;
      }
      const n = planned.barrierIds.length;
      kit.render(req, res, 'admin/confirm', {
        title: `Move ${n} open barrier${n === 1 ? '' : 's'} from version ${planned.from} to ${planned.to}`,
        lead:
          n === 0
            ? `No open barrier is on version ${planned.from}; nothing would change.`
            : `Each barrier's deadlines are recalculated under version ${planned.to} and the move is recorded on its timeline. What changes:`,
        changes:
          n === 0
            ? []
            : planned.changes.length
              ? planned.changes
              : ['No target changes: only the version each barrier names.'],
        hidden: { policyId: planned.policyId, from: planned.from, to: planned.to },
        action: '/admin/policies/migrate',
        cancel: '/admin/policies',
        button: n === 0 ? 'Nothing to move' : `Move ${n} barrier${n === 1 ? '' : 's'}`,
        warning: n > 0,
      });
    }),
  );

  router.post(
    '/admin/policies/migrate',
    kit.admin(async (req, res, user) => {
      const parsed = migrationForm.safeParse(req.body);
      if (!parsed.success) {
        res.redirect(303, '/admin/policies/migrate');
        return;
      }
      const plan = await services.policies.planMigration(
        user,
        parsed.data.policyId,
        parsed.data.from,
        parsed.data.to,
      );
      const move = await services.policies.startMove(user, 'pages', plan);
      res.redirect(303, `/admin/policies/moves/${move.id}`);
    }),
  );

  /** A move's page: its progress while its workflow runs, then what became of each barrier. */
  router.get(
    '/admin/policies/moves/:id',
    kit.admin(async (req, res, user) => {
      const move = await services.policies.move(user, String(req.params.id));
      kit.render(req, res, 'admin/policy-move', policyMoveView(move));
    }),
  );

  /** The progress as JSON, for the page's script to show without reloading. */
  router.get(
    '/admin/policies/moves/:id/progress',
    kit.admin(async (req, res, user) => {
      const move = await services.policies.move(user, String(req.params.id));
      res.json({
        finished: move.status === 'done',
        done: move.done,
        total: move.total,
        text: policyMoveProgressText(move),
      });
    }),
  );

  return router;
}
