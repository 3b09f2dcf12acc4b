/**
 * createActivities(deps): every activity the worker registers, built from
 * injected dependencies so tests pass real (or test) ones.
 */
import type { Models } from '../store/models.ts';
import type { EmailTransport } from '../notify/transport.ts';
import { createImportActivities } from './imports.ts';
import { createNotificationActivities } from './notifications.ts';
import { createProjectionActivities } from './projection.ts';
import { createRoutingActivities } from './routing.ts';

export interface ActivityDeps {
  models: Models;
  email: {
    transport: EmailTransport;
    /** Links in emails start with this. */
    publicBaseUrl: string;
    claimLeaseMs?: number;
  };
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createRoutingActivities(deps.models),
    ...createProjectionActivities(deps.models),
    ...createImportActivities(deps.models),
    ...createNotificationActivities({ models: deps.models, ...deps.email }),
  };
}
