/**
 * Errors on page requests become pages, never JSON: a refusal its message
 * page, a request Express or a body parser marked 4xx that status's page, an
 * outage of the database or Temporal a 503 "service unavailable" page, and
 * anything else a 500 page (logged).
 */
import type { ErrorRequestHandler } from 'express';
import {
  isServiceError,
  requestErrorStatus,
  unavailableDependency,
  type ServiceError,
  type ServiceErrorKind,
} from '../services/errors.ts';
import type { Logger } from '../services/logger.ts';
import type { PageKit } from './kit.ts';

const STATUS: Record<ServiceErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rejected: 422,
};

/** The HTTP status a refusal is shown with. */
export const statusOf = (err: ServiceError): number => STATUS[err.kind];

const TITLES: Record<number, string> = {
  400: 'There is a problem with your request',
  403: 'You cannot do that',
  404: 'Page not found',
  409: 'That conflicts with something already there',
  413: 'What you sent is too large',
  415: 'What you sent could not be read',
  422: 'That cannot be done now',
  429: 'Too many requests',
};

/**
 * The error handler of the pages: each error as a page saying what happened.
 * `show` renders it (by default in the signed-in layout; the open register
 * passes its own, with no session, navigation or link into the service).
 */
export function pageErrorHandler(
  kit: PageKit,
  logger: Logger,
  show: PageKit['message'] = (req, res, status, page) => kit.message(req, res, status, page),
): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (isServiceError(err)) {
      const status = statusOf(err);
      show(req, res, status, {
        title: TITLES[status] ?? 'There is a problem',
        message: err.detail,
        link: { href: '/barriers', text: 'Go to barriers' },
      });
      return;
    }
    const badRequest = requestErrorStatus(err);
    if (badRequest !== undefined) {
      show(req, res, badRequest, {
        title: TITLES[badRequest] ?? 'There is a problem with your request',
        message:
          badRequest === 429
            ? 'You have sent a lot of requests in a short time. Wait a minute, then try again.'
            : 'Golden Thread could not read that request. Go back and try again.',
      });
      return;
    }
    if (unavailableDependency(err)) {
      res.set('Retry-After', '30');
      show(req, res, 503, {
        title: 'Sorry, the service is unavailable',
        message:
          'Golden Thread cannot reach a service it depends on. Nothing you sent has been lost or changed. Try again in a few minutes.',
      });
      return;
    }
    logger.error('unhandled error', {
      method: req.method,
      path: req.path,
      error: err instanceof Error ? err.stack : String(err),
    });
    show(req, res, 500, {
      title: 'Sorry, there is a problem with the service',
      message: 'Something unexpected went wrong; it has been logged. Try again later.',
    });
  };
}
