/** Signing in and out. In development: choose a seeded person; production has no such page. */
import { Router, type Request, type Response } from 'express';
import type { Actor } from '../../domain/barrier/barrier-machine.ts';
import { humanise } from '../format.ts';
import type { PageKit } from '../kit.ts';
import { signIn, signOut } from '../session.ts';

export function signInRoutes(kit: PageKit): Router {
  const { deps } = kit;
  const router = Router();

  router.get('/', (_req, res) => {
    res.redirect(303, res.locals.user ? '/barriers' : '/sign-in');
  });

  const signInPage = async (req: Request, res: Response, error?: string) => {
    const people = await deps.models.Person.find(
      {},
      { name: 1, roles: 1, locality: 1, neighbourhood: 1 },
    )
      .sort({ roles: 1, locality: 1, _id: 1 })
      .lean();
    kit.render(req, res, 'sign-in', {
      title: 'Sign in to Golden Thread',
      errors: error ? [{ text: error, href: '#person' }] : [],
      fieldErrors: error ? { person: error } : {},
      people: [
        { value: '', text: 'Choose a person' },
        ...people.map((p) => ({
          value: p._id,
          text: `${p.name} – ${humanise(p.roles[0] ?? 'no role')}${p.locality ? `, ${humanise(p.locality)}` : ''}${p.neighbourhood ? ` (${p.neighbourhood})` : ''}`,
        })),
      ],
    });
  };

  router.get('/sign-in', async (req, res) => {
    res.locals.user = null;
    if (!deps.devSignIn) {
      kit.message(req, res, 404, {
        title: 'Sign in',
        message:
          'Sign-in through your organisation (OpenID Connect) is not configured on this server.',
      });
      return;
    }
    await signInPage(req, res);
  });

  router.post('/sign-in', async (req, res) => {
    res.locals.user = null;
    if (!deps.devSignIn) {
      kit.message(req, res, 404, {
        title: 'Page not found',
        message: 'Development sign-in is off.',
      });
      return;
    }
    const chosen = (req.body as Record<string, unknown>).person;
    const email = typeof chosen === 'string' ? chosen : '';
    const person = email ? await deps.models.Person.findById(email).lean() : null;
    if (!person || person.roles.length === 0) {
      res.status(400);
      await signInPage(req, res, 'Select who you are signing in as');
      return;
    }
    const role = person.roles[0] as Actor['role'];
    await signIn(
      res,
      {
        sub: person._id,
        role,
        ...(person.locality ? { locality: person.locality as never } : {}),
        ...(role === 'neighbourhood-lead' && person.neighbourhood
          ? { neighbourhood: person.neighbourhood }
          : {}),
      },
      deps.session,
    );
    res.redirect(303, role === 'gmca-triage' ? '/triage' : '/barriers');
  });

  router.post('/sign-out', (_req, res) => {
    signOut(res, deps.session);
    res.redirect(303, '/sign-in');
  });

  return router;
}
