/**
 * The SLA dashboard: its figures (domain/dashboard/figures.ts) from the
 * totals the projection keeps.
 */
import { dashboardFigures, type DashboardFigures } from '../domain/dashboard/figures.ts';
import {
  asksByOutcome,
  medianResolveByStage,
  openByLocalityAndStage,
} from '../domain/dashboard/standing.ts';
import { readAskOutcomes } from '../store/ask-queries.ts';
import { readDashboardStanding } from '../store/barrier-queries.ts';
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

/** The dashboard's figures that are not totals: open by locality and stage, time to resolve, asks by outcome. */
export interface DashboardStanding {
  openByLocalityAndStage: ReturnType<typeof openByLocalityAndStage>;
  medianResolveByStage: ReturnType<typeof medianResolveByStage>;
  asksByOutcome: ReturnType<typeof asksByOutcome>;
}

/**
 * What the read model holds now, counted: the barriers' part worked out once
 * for each change to the read model (store/read-cache.ts), the asks' part on
 * every view (the ask projection does not stamp the read model).
 * Shared between views: callers must not change it.
 */
export async function readDashboardStandingFigures(
  deps: Pick<ServiceDeps, 'models'>,
): Promise<DashboardStanding> {
  const [barriers, asks] = await Promise.all([
    readThrough(deps.models, 'barriers', 'dashboard:standing', async () => {
      const { open, resolved } = await readDashboardStanding(deps.models);
      return {
        openByLocalityAndStage: openByLocalityAndStage(open),
        medianResolveByStage: medianResolveByStage(resolved),
      };
    }),
    readAskOutcomes(deps.models),
  ]);
  return { ...barriers, asksByOutcome: asksByOutcome(asks) };
}
