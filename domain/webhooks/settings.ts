/**
 * How webhook deliveries are retried, timed out and given up on: data the
 * delivery workflow is started with (from configuration, WEBHOOK_*), so tests
 * run the same code in seconds.
 */

export interface WebhookSettings {
  /** One attempt's limit, connection to the last byte read. */
  attemptTimeoutMs: number;
  /** The wait before the second attempt; each wait after doubles… */
  retryFirstMs: number;
  /** …up to this. */
  retryMaxMs: number;
  /** A subscription is disabled after at least this many failed attempts in a row… */
  disableAfterFailures: number;
  /** …spanning at least this long (both must hold). */
  disableAfterMs: number;
  /** How often an idle subscription looks for deliveries it was not told of (a lost wake-up). */
  pollMs: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  attemptTimeoutMs: 10_000,
  retryFirstMs: 30_000,
  retryMaxMs: 60 * 60_000,
  disableAfterFailures: 10,
  disableAfterMs: 24 * 60 * 60_000,
  pollMs: 60_000,
};

/** The most of a response a delivery reads (and keeps, trimmed, in the log). */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** How much of a response body the delivery log keeps. */
export const LOGGED_RESPONSE_CHARS = 500;

/** Whether a run of failures is long enough to disable the subscription. */
export const shouldDisable = (
  settings: Pick<WebhookSettings, 'disableAfterFailures' | 'disableAfterMs'>,
  failures: number,
  failingSince: number,
  now: number,
): boolean =>
  failures >= settings.disableAfterFailures && now - failingSince >= settings.disableAfterMs;

/** How long the delivery log is kept by default (WEBHOOK_LOG_DAYS). */
export const DEFAULT_WEBHOOK_RETENTION_MS = 30 * 24 * 60 * 60_000;

/** How long a rotated-out secret keeps signing by default (WEBHOOK_SECRET_OVERLAP_HOURS). */
export const DEFAULT_SECRET_OVERLAP_MS = 24 * 60 * 60_000;
