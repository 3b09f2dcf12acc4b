/**
 * The SLA dashboard: its figures (domain/dashboard/figures.ts) from the
 * totals the projection keeps.
 */
import { dashboardFigures, type DashboardFigures } from '../domain/dashboard/figures.ts';
import { readThrough } from '../store/read-cache.ts';
import { countTotals, readTotals } from '../store/dashboard-rollups.ts';
import type { ServiceDeps } from './deps.ts';

/**
 * The figures as at `now` from the totals the projection keeps
 * (store/dashboard-rollups.ts), read again only when the read model has
 * changed (store/read-cache.ts). A store made before totals were kept is
 * counted from scratch until its totals are rebuilt.
 */
export async function readDashboard(
  deps: Pick<ServiceDeps, 'models'>,
  now: number,
): Promise<DashboardFigures> {
  const totals = await readThrough(
    deps.models,
    'barriers',
    'dashboard',
    async () => (await readTotals(deps.models)) ?? (await countTotals(deps.models)),
  );
  return dashboardFigures(totals, now);
}
