/**
 * The routing activity: who owns a barrier at a stage (the rules are in
 * domain/routing/routing-rules.ts, the directory reads in store/routing.ts).
 * A raise is routed by the API; escalations are routed here.
 */
import type { Owner } from '../domain/barrier/types.ts';
import type { Models } from '../store/models.ts';
import { withReadStamps } from '../store/read-cache.ts';
import type { RouteBarrierInput } from '../domain/routing/routing-rules.ts';
import { routeOwner } from '../store/routing.ts';

export function createRoutingActivities(models: Models) {
  return {
    /** Chooses the owner at the barrier's current stage; the directory's stamp read once. */
    routeBarrier(input: RouteBarrierInput): Promise<Owner> {
      return withReadStamps(models, () => routeOwner(models, input), ['directory']);
    },
  };
}
