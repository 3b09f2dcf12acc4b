/**
 * createActivities(deps): every activity the worker registers, built from
 * injected dependencies so tests pass real (or test) ones.
 */
import type { Models } from '../store/models.ts';
import { createProjectionActivities } from './projection.ts';
import { createRoutingActivities } from './routing.ts';

export interface ActivityDeps {
  models: Models;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createRoutingActivities(deps.models),
    ...createProjectionActivities(deps.models),
  };
}
