/**
 * Signing in and out. With OpenID Connect configured, /sign-in sends the
 * browser to the organisation's provider and /sign-in/callback completes the
 * flow; outside production without it, a development page lets you choose a
 * seeded person. Either way the session proves only who someone is: the
 * directory decides, on every request, what they may do.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { InvalidToken } from '../../auth/tokens.ts';
import { ROLES } from '../../domain/reference-data.ts';
import { NoAccess } from '../../services/identity.ts';
import { listInWords, placeName, roleName, sentence } from '../../domain/format/index.ts';
import type { PageKit, User } from '../kit.ts';
import {
  PENDING_SIGN_IN_COOKIE,
  closeSession,
  openSession,
  setSignedCookie,
  takeSignedCookie,
} from '../session.ts';

const pendingSchema = z.object({ state: z.string(), nonce: z.string(), verifier: z.string() });

/** Where someone lands after signing in: triage staff at the queue, everyone else at barriers. */
const landing = (roles: readonly string[]) =>
  roles[0] === 'gmca-triage' ? '/triage' : '/barriers';

export function signInRoutes(kit: PageKit): Router {
  const { deps, services } = kit;
  const router = Router();

  router.get('/', (_req, res) => {
    res.redirect(303, res.locals.user ? '/barriers' : '/sign-in');
  });

  const devSignInPage = async (req: Request, res: Response, error?: string) => {
    const people = await services.identity.signInChoices();
    kit.render(req, res, 'sign-in', {
      title: 'Sign in to Golden Thread',
      errors: error ? [{ text: error, href: '#person' }] : [],
      fieldErrors: error ? { person: error } : {},
      people: [
        { value: '', text: 'Choose a person' },
        ...people.map((p) => ({
          value: p._id,
          text: `${p.name} – ${sentence(listInWords(p.roles.map(roleName))) || 'No role'}${p.locality ? `, ${placeName(p.locality, p.neighbourhood)}` : ''}`,
        })),
      ],
    });
  };

  router.get('/sign-in', async (req, res) => {
    if (res.locals.user) {
      res.redirect(303, landing((res.locals.user as User).roles));
      return;
    }
    if (deps.oidc) {
      const { url, pending } = await deps.oidc.start();
      setSignedCookie(res, PENDING_SIGN_IN_COOKIE, pending, deps.session);
      res.redirect(302, url.href);
      return;
    }
    if (!deps.devSignIn) {
      kit.message(req, res, 404, {
        title: 'Sign in',
        message:
          'Sign-in through your organisation (OpenID Connect) is not configured on this server.',
      });
      return;
    }
    await devSignInPage(req, res);
  });

  router.get('/sign-in/callback', async (req, res) => {
    const oidc = deps.oidc;
    if (!oidc) {
      kit.message(req, res, 404, { title: 'Page not found', message: 'Sign-in is not set up.' });
      return;
    }
    const pending = pendingSchema.safeParse(
      takeSignedCookie(req, res, PENDING_SIGN_IN_COOKIE, deps.session),
    );
    const again = { href: '/sign-in', text: 'Sign in again' };
    const providerError = req.query.error;
    if (typeof providerError === 'string') {
      kit.message(req, res, 400, {
        title: 'You were not signed in',
        message: `Your organisation's sign-in service said: ${typeof req.query.error_description === 'string' ? req.query.error_description : providerError}.`,
        link: again,
      });
      return;
    }
    if (!pending.success) {
      kit.message(req, res, 400, {
        title: 'Your sign-in expired',
        message:
          'Signing in took too long, or was started in another browser. Nothing has changed; start again.',
        link: again,
      });
      return;
    }
    let who: Awaited<ReturnType<typeof oidc.finish>>;
    try {
      who = await oidc.finish(new URL(req.originalUrl, deps.publicBaseUrl), pending.data);
    } catch (err) {
      if (!(err instanceof InvalidToken)) throw err;
      deps.logger.warn('sign-in refused', { reason: err.message });
      kit.message(req, res, 400, {
        title: 'You were not signed in',
        message: 'The answer from your organisation’s sign-in service could not be checked.',
        link: again,
      });
      return;
    }
    const person = await services.identity.signInPerson(who.email);
    if (!person) {
      // Known to the provider, not to the directory: say so, create nothing.
      kit.noAccess(
        req,
        res,
        new NoAccess(
          `${who.email} signed in at your organisation but is not in Golden Thread's directory.`,
          who.email,
        ),
      );
      return;
    }
    await openSession(
      services,
      res,
      { email: person.email, via: 'oidc', idToken: who.idToken },
      deps.session,
    );
    res.redirect(303, landing(person.roles));
  });

  router.post('/sign-in', async (req, res) => {
    if (!deps.devSignIn || deps.oidc) {
      kit.message(req, res, 404, {
        title: 'Page not found',
        message: 'Development sign-in is off.',
      });
      return;
    }
    const chosen = (req.body as Record<string, unknown>).person;
    const email = typeof chosen === 'string' ? chosen : '';
    const person = email ? await services.identity.signInPerson(email) : null;
    if (!person) {
      res.status(400);
      await devSignInPage(req, res, 'Select who you are signing in as');
      return;
    }
    await openSession(services, res, { email: person.email, via: 'development' }, deps.session);
    res.redirect(303, landing(person.roles));
  });

  router.post('/acting-as', async (req, res) => {
    const user = res.locals.user as User | null;
    const role = (req.body as Record<string, unknown>).role;
    if (!user) {
      res.redirect(303, '/sign-in');
      return;
    }
    if (
      typeof role !== 'string' ||
      !(ROLES as readonly string[]).includes(role) ||
      !user.roles.includes(role as never)
    ) {
      kit.message(req, res, 400, {
        title: 'You do not hold that role',
        message: 'Choose one of the roles the directory gives you.',
        link: { href: '/barriers', text: 'Go to barriers' },
      });
      return;
    }
    await services.sessions.setActingAs(user.sessionId, role);
    res.redirect(303, landing([role]));
  });

  router.post('/sign-out', async (req, res) => {
    const ended = await closeSession(services, req, res, deps.session);
    const atProvider =
      ended?.via === 'oidc' && deps.oidc
        ? await deps.oidc.endSessionUrl(ended.idToken, `${deps.publicBaseUrl}/signed-out`)
        : undefined;
    res.redirect(303, atProvider?.href ?? (deps.oidc ? '/signed-out' : '/sign-in'));
  });

  router.get('/signed-out', (req, res) => {
    kit.render(req, res, 'message', {
      title: 'You have signed out',
      message: 'Your Golden Thread session has ended.',
      link: { href: '/sign-in', text: 'Sign in again' },
    });
  });

  return router;
}
