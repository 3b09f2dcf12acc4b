/**
 * What every page route uses: rendering a view inside the layout (with the
 * navigation, the CSRF token and the signed-in person), guarding pages that
 * need a person, and the not-found page.
 */
import { fileURLToPath } from 'node:url';
import type { NextFunction, Request, Response } from 'express';
import nunjucks from 'nunjucks';
import type { OidcClient } from '../auth/oidc.ts';
import type { Actor } from '../domain/barrier/types.ts';
import type { Role } from '../domain/reference-data.ts';
import type { Services } from '../services/create-services.ts';
import type { NoAccess } from '../services/identity.ts';
import type { Logger } from '../services/logger.ts';
import type { SmtpSink } from '../notify/smtp-sink.ts';
import { humanise } from './format.ts';
import { navigation } from './presenters/navigation.ts';
import { addFormatFilters } from './view-filters.ts';
import { csrfToken, type SessionOptions } from './session.ts';

export interface WebDeps {
  /** Every use case: the only way the pages reach data and Temporal. */
  services: Services;
  logger: Logger;
  session: SessionOptions;
  /** Sign-in through the organisation's OpenID provider, when configured. */
  oidc?: OidcClient;
  /** Development sign-in by choosing a seeded person (never in production, nor with OIDC). */
  devSignIn: boolean;
  /** Where people reach Golden Thread (the provider sends them back here after sign-out). */
  publicBaseUrl: string;
  devMailbox?: SmtpSink;
}

/** The signed-in person as pages know them: the actor they act as now, and every role they hold. */
export type User = Actor & { name: string; roles: Role[]; sessionId: string };

export const VIEWS = fileURLToPath(new URL('./views/', import.meta.url));
export const GOVUK = fileURLToPath(
  new URL('../node_modules/govuk-frontend/dist/', import.meta.url),
);
export const MOJ = fileURLToPath(
  new URL('../node_modules/@ministryofjustice/frontend/', import.meta.url),
);

export interface PageKit {
  deps: WebDeps;
  /** Every use case (the same object as `deps.services`). */
  services: Services;
  /** Renders `pages/<view>.njk` with the layout's context. */
  render(req: Request, res: Response, view: string, ctx: Record<string, unknown>): void;
  /**
   * Renders `pages/<view>.njk` of the open register at `status`: no person,
   * navigation or form token, so nothing on it depends on who asked.
   */
  renderOpen(res: Response, view: string, status: number, ctx: Record<string, unknown>): void;
  /** A handler for a page that needs a signed-in person; others are sent to sign in. */
  signedIn(
    handler: (req: Request, res: Response, user: User) => Promise<void>,
  ): (req: Request, res: Response, next: NextFunction) => void;
  /** A handler for a page some roles may use (`who` names them in the 403 page's words). */
  forRoles(
    roles: readonly Role[],
    who: string,
    handler: (req: Request, res: Response, user: User) => Promise<void>,
  ): (req: Request, res: Response, next: NextFunction) => void;
  /** A handler for an administration page: signed in as an admin, else a 403 page. */
  admin(
    handler: (req: Request, res: Response, user: User) => Promise<void>,
  ): (req: Request, res: Response, next: NextFunction) => void;
  /** Renders a message page with a status: not found, not allowed, an error. */
  message(
    req: Request,
    res: Response,
    status: number,
    page: { title: string; message: string; link?: { href: string; text: string } },
  ): void;
  /** The 403 page for someone signed in whom the directory does not let in. */
  noAccess(req: Request, res: Response, refusal: NoAccess): void;
}

export function createPageKit(deps: WebDeps): PageKit {
  const env = nunjucks.configure([VIEWS, GOVUK, MOJ], { autoescape: true, noCache: false });
  addFormatFilters(env);
  const kit: PageKit = {
    deps,
    services: deps.services,
    render(req, res, view, ctx) {
      const user = res.locals.user as User | null | undefined;
      const html = env.render(`pages/${view}.njk`, {
        ...ctx,
        user: user && {
          ...user,
          roleLabel: humanise(user.role),
          otherRoles: user.roles
            .filter((r) => r !== user.role)
            .map((r) => ({ value: r, text: humanise(r) })),
        },
        nav: navigation(user ?? null, req.path, Boolean(deps.devMailbox)),
        signedInWithoutAccess: (res.locals.noAccess as NoAccess | undefined)?.who,
        csrf: csrfToken(req, res, deps.session),
        cspNonce: res.locals.cspNonce as string,
        fieldErrors: ctx.fieldErrors ?? {},
      });
      res.type('html').send(html);
    },
    renderOpen(res, view, status, ctx) {
      const html = env.render(`pages/${view}.njk`, {
        ...ctx,
        cspNonce: res.locals.cspNonce as string,
        fieldErrors: ctx.fieldErrors ?? {},
      });
      res.status(status).type('html').send(html);
    },
    signedIn: (handler) => (req, res, next) => {
      const user = res.locals.user as User | null;
      if (!user) {
        res.redirect(303, '/sign-in');
        return;
      }
      handler(req, res, user).catch(next);
    },
    forRoles: (roles, who, handler) =>
      kit.signedIn(async (req, res, user) => {
        if (!roles.includes(user.role)) {
          kit.message(req, res, 403, {
            title: 'You cannot do that',
            message: `Only ${who} may use these pages.`,
            link: { href: '/barriers', text: 'Go to barriers' },
          });
          return;
        }
        await handler(req, res, user);
      }),
    admin: (handler) => kit.forRoles(['admin'], 'a Golden Thread administrator', handler),
    message(req, res, status, page) {
      res.status(status);
      kit.render(req, res, 'message', page);
    },
    noAccess(req, res, refusal) {
      res.status(403);
      kit.render(req, res, 'no-access', {
        title: 'You do not have access yet',
        who: refusal.who,
        detail: refusal.detail,
      });
    },
  };
  return kit;
}
