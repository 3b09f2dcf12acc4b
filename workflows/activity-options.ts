/**
 * Activity options every workflow shares. Side effects must eventually happen
 * (the database or the relay may be down for a while), so they retry without
 * limit, backing off to once a minute.
 */
import type { ActivityOptions } from '@temporalio/workflow';

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
