/**
 * The SLA dashboard: its figures (domain/dashboard/figures.ts) from the
 * totals the projection keeps, and Whitehall asks by outcome
 * (domain/dashboard/ask-outcomes.ts) from the asks.
 */
import {
  dashboardFigures,
  standingFigures,
  type DashboardFigures,
  type StandingFigures,
} from '../domain/dashboard/figures.ts';
import { asksByOutcome } from '../domain/dashboard/ask-outcomes.ts';
import type { Totals } from '../domain/dashboard/totals.ts';
import { readAskOutcomes } from '../store/ask-queries.ts';
import { readThrough } from '../store/read-cache.ts';
import { countTotals, readTotals } from '../store/dashboard-rollups.ts';
import type { ServiceDeps } from './deps.ts';

/**
 * The totals the projection keeps (store/dashboard-rollups.ts), read again
 * only when the read model has changed (store/read-cache.ts). A store whose
 * totals were made before they counted all they count now is counted from
 * scratch until its totals are rebuilt.
 */
const totals = (deps: Pick<ServiceDeps, 'models'>): Promise<Totals> =>
  readThrough(
    deps.models,
    'barriers',
    'dashboard',
    async () => (await readTotals(deps.models)) ?? (await countTotals(deps.models)),
  );

/** The figures as at `now` from the kept totals. */
export async function readDashboard(
  deps: Pick<ServiceDeps, 'models'>,
  now: number,
): Promise<DashboardFigures> {
  return dashboardFigures(await totals(deps), now);
}

/** The dashboard's figures of things as they stand: open by locality and stage, time to resolve, asks by outcome. */
export interface DashboardStanding extends StandingFigures {
  asksByOutcome: ReturnType<typeof asksByOutcome>;
}

/**
 * Open barriers by locality and stage and the median time to resolve from the
 * kept totals, and asks by outcome counted once for each change to the asks
 * (the ask projection stamps `asks`). Shared between views: callers must not
 * change it.
 */
export async function readDashboardStandingFigures(
  deps: Pick<ServiceDeps, 'models'>,
): Promise<DashboardStanding> {
  const [kept, asks] = await Promise.all([
    totals(deps),
    readThrough(deps.models, 'asks', 'dashboard:asks', async () =>
      asksByOutcome(await readAskOutcomes(deps.models)),
    ),
  ]);
  return { ...standingFigures(kept), asksByOutcome: asks };
}
