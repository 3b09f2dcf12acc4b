/** The SLA dashboard. */
import { Router } from 'express';
import type { PageKit } from '../kit.ts';
import { chartCsv, dashboardView } from '../presenters/dashboard.ts';
import { toCsv } from '../../services/csv.ts';

export function dashboardRoutes(kit: PageKit): Router {
  const { services } = kit;
  const router = Router();
  router.get(
    '/dashboard',
    kit.signedIn(async (req, res) => {
      const now = Date.now();
      const [figures, standing] = await Promise.all([
        services.dashboard.read(now),
        services.dashboard.standing(),
      ]);
      kit.render(req, res, 'dashboard', dashboardView(figures, now, standing));
    }),
  );
  router.get(
    '/dashboard/:chart.csv',
    kit.signedIn(async (req, res) => {
      const now = Date.now();
      const [figures, standing] = await Promise.all([
        services.dashboard.read(now),
        services.dashboard.standing(),
      ]);
      const c = dashboardView(figures, now, standing).charts.find((x) => x.id === req.params.chart);
      if (!c) {
        kit.message(req, res, 404, {
          title: 'Page not found',
          message: `The dashboard has no table called ${String(req.params.chart)}.`,
          link: { href: '/dashboard', text: 'Go to the SLA dashboard' },
        });
        return;
      }
      const { header, rows } = chartCsv(c);
      res
        .type('text/csv; charset=utf-8')
        .attachment(`sla-dashboard-${c.id}.csv`)
        .send(toCsv(header, rows));
    }),
  );
  return router;
}
