/** The SLA dashboard. */
import { Router } from 'express';
import { readDashboard } from '../../services/dashboard.ts';
import type { PageKit } from '../kit.ts';
import { dashboardView } from '../presenters/dashboard.ts';

export function dashboardRoutes(kit: PageKit): Router {
  const router = Router();
  router.get(
    '/dashboard',
    kit.signedIn(async (req, res) => {
      const now = Date.now();
      kit.render(req, res, 'dashboard', dashboardView(await readDashboard(kit.deps, now), now));
    }),
  );
  return router;
}
