/**
 * Activity options every workflow shares. Side effects must eventually happen
 * (the database or the relay may be down for a while), so they retry without
 * limit, backing off to once a minute.
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

const RETRY_FOREVER = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
};

/** Database work: projection, routing, look-ups. */
export const STORE_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: RETRY_FOREVER,
};

/** Email sends: long enough for a batch, heartbeats so a dead worker is noticed fast. */
export const EMAIL_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  retry: RETRY_FOREVER,
};

/**
 * The same database work run as a local activity (in the workflow task). A
 * retry that would wait longer than a second waits on a workflow timer
 * instead, so a database outage never holds a workflow task open: the turn's
 * progress so far (an escalation decided, say) is committed to history and
 * shown to queries while the database is away.
 */
export const STORE_LOCAL_ACTIVITY: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: RETRY_FOREVER,
  localRetryThreshold: '1 second',
};
