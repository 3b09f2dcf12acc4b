/**
 * The pages: server-rendered GOV.UK Design System pages for locality leads,
 * neighbourhood leads and GMCA staff. They work without JavaScript, post
 * forms with CSRF tokens, and take every decision through the same services
 * and rules as the API.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import nunjucks from 'nunjucks';
import { canRaise, canRunAsks, canSee, roleProblem } from '../domain/barrier/access.ts';
import type { Actor } from '../domain/barrier/barrier-machine.ts';
import {
  barrierActionSchema,
  raiseBarrierSchema,
  type BarrierActionType,
} from '../domain/barrier/schemas.ts';
import {
  CATEGORIES,
  DEPARTMENTS,
  FOCUS_AREAS,
  STAGES,
  type Department,
} from '../domain/reference-data.ts';
import { byUrgency } from '../domain/triage/triage.ts';
import { actOnVisibleBarrier, raiseBarrier, scopeOf } from '../api/barrier-service.ts';
import type { AsksDeps } from '../api/asks-service.ts';
import type { BarrierServiceDeps } from '../api/barrier-service.ts';
import { HttpProblem, fieldProblems } from '../api/problem.ts';
import { computeEvidence, type AskEvidence } from '../store/ask-queries.ts';
import { getBarrier, getTimeline, listBarriers } from '../store/barrier-queries.ts';
import type { SmtpSink } from '../notify/smtp-sink.ts';
import { barChart } from './charts.ts';
import { humanise, london, timeLeft } from './format.ts';
import {
  csrfToken,
  csrfValid,
  sessionActor,
  signIn,
  signOut,
  type SessionOptions,
} from './session.ts';

export interface WebDeps extends BarrierServiceDeps, AsksDeps {
  session: SessionOptions;
  /** Development sign-in by choosing a seeded person (never in production). */
  devSignIn: boolean;
  devMailbox?: SmtpSink;
}

const VIEWS = fileURLToPath(new URL('./views/', import.meta.url));
const OWN_ASSETS = fileURLToPath(new URL('./assets/', import.meta.url));
const GOVUK = fileURLToPath(new URL('../node_modules/govuk-frontend/dist/', import.meta.url));

type Item = { value: string; text: string; selected?: boolean };
const options = (values: readonly string[], selected: unknown, blank?: string): Item[] => [
  ...(blank !== undefined ? [{ value: '', text: blank }] : []),
  ...values.map((v) => ({ value: v, text: humanise(v), selected: v === selected })),
];

/** Form fields of each action a viewer may take. */
const ACTION_FORMS: Record<
  string,
  {
    label: string;
    secondary?: boolean;
    fields: { name: string; label: string; kind?: string; hint?: string }[];
  }
> = {
  acknowledge: {
    label: 'Acknowledge',
    fields: [{ name: 'note', label: 'Note (optional)', kind: 'textarea' }],
  },
  comment: {
    label: 'Add comment',
    secondary: true,
    fields: [{ name: 'text', label: 'Comment', kind: 'textarea' }],
  },
  'request-info': {
    label: 'Request information',
    secondary: true,
    fields: [
      { name: 'reason', label: 'Why the clock pauses', kind: 'select' },
      { name: 'question', label: 'What do you need to know?', kind: 'textarea' },
    ],
  },
  'provide-info': {
    label: 'Provide information',
    fields: [{ name: 'response', label: 'Your answer', kind: 'textarea' }],
  },
  escalate: {
    label: 'Escalate',
    secondary: true,
    fields: [{ name: 'reason', label: 'Why escalate now?', kind: 'textarea' }],
  },
  resolve: {
    label: 'Resolve',
    fields: [{ name: 'resolution', label: 'How was it resolved?', kind: 'textarea' }],
  },
  withdraw: {
    label: 'Withdraw',
    secondary: true,
    fields: [{ name: 'reason', label: 'Why withdraw it?', kind: 'textarea' }],
  },
  reopen: {
    label: 'Reopen',
    fields: [{ name: 'reason', label: 'Why reopen it?', kind: 'textarea' }],
  },
  accept: {
    label: 'Accept at GM level',
    fields: [
      { name: 'owner', label: 'GMCA owner (email)' },
      {
        name: 'resolveTarget',
        label: 'Resolve target',
        hint: 'An ISO 8601 duration such as P10D (10 working days)',
      },
    ],
  },
  return: {
    label: 'Return to the locality',
    secondary: true,
    fields: [{ name: 'reason', label: 'Reason for returning it', kind: 'textarea' }],
  },
  merge: {
    label: 'Merge as a duplicate',
    secondary: true,
    fields: [
      { name: 'into', label: 'Merge into barrier (reference)', hint: 'For example GT-0042' },
    ],
  },
  link: {
    label: 'Link a related barrier',
    secondary: true,
    fields: [{ name: 'with', label: 'Related barrier (reference)', hint: 'For example GT-0042' }],
  },
  promote: {
    label: 'Promote to a Whitehall ask',
    fields: [
      {
        name: 'askId',
        label: 'Existing draft ask (reference, optional)',
        hint: 'For example ASK-0007; leave empty to start a new ask',
      },
      { name: 'askTitle', label: 'New ask: title' },
      { name: 'department', label: 'New ask: department', kind: 'select' },
      { name: 'askText', label: 'New ask: what government should do', kind: 'textarea' },
    ],
  },
};

/** Which actions the barrier's state allows now, from the read model (the workflow has the last word). */
function allowedByState(
  type: string,
  b: {
    status: string;
    stage: string;
    acknowledged?: boolean | null;
    sla: { paused?: boolean | null };
    reopenUntil?: Date | null;
  },
  now: number,
) {
  const open = b.status === 'open';
  switch (type) {
    case 'acknowledge':
      return open && !b.acknowledged && b.stage !== 'whitehall';
    case 'comment':
      return b.status !== 'merged';
    case 'request-info':
      return open && !b.sla.paused && b.stage !== 'whitehall';
    case 'provide-info':
      return open && Boolean(b.sla.paused);
    case 'escalate':
      return open && (b.stage === 'neighbourhood' || b.stage === 'locality');
    case 'resolve':
    case 'withdraw':
      return open;
    case 'reopen':
      return (
        (b.status === 'resolved' || b.status === 'withdrawn') &&
        (b.reopenUntil?.getTime() ?? 0) > now
      );
    case 'accept':
    case 'return':
    case 'merge':
    case 'promote':
      return open && b.stage === 'gmca';
    case 'link':
      return open;
    default:
      return false;
  }
}

/** Turns a posted action form into the API's action body. */
function actionBody(form: Record<string, string>): Record<string, unknown> {
  const type = form.type ?? '';
  const fields = Object.fromEntries(
    Object.entries(form).filter(([k, v]) => k !== '_csrf' && k !== 'type' && v.trim() !== ''),
  );
  if (type === 'promote') {
    if (fields.askId) return { type, askId: fields.askId.trim().toUpperCase() };
    return {
      type,
      ask: {
        title: fields.askTitle ?? '',
        department: fields.department ?? '',
        ask: fields.askText ?? '',
      },
    };
  }
  for (const k of ['into', 'with']) if (fields[k]) fields[k] = fields[k].trim().toUpperCase();
  return { type, ...fields };
}

export function webRouter(deps: WebDeps): Router {
  const { models } = deps;
  const env = nunjucks.configure([VIEWS, GOVUK], { autoescape: true, noCache: false });
  const router = Router();

  router.use('/assets', express.static(`${GOVUK}govuk/assets`, { maxAge: '1d' }));
  router.use('/assets', express.static(`${GOVUK}govuk`, { maxAge: '1d', index: false }));
  router.use('/assets', express.static(OWN_ASSETS, { maxAge: '1h' }));

  const pages = Router();
  pages.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 100 }));
  pages.use((req, res, next) => {
    res.locals.cspNonce ??= randomBytes(16).toString('base64');
    // Forms post back here: a stale or forged CSRF token changes nothing.
    if (req.method === 'POST' && !csrfValid(req, deps.session)) {
      res.status(403);
      render(req, res, 'message.njk', {
        title: 'Your form expired',
        message:
          'For your security the form could not be accepted. Go back, reload the page and try again.',
      });
      return;
    }
    next();
  });

  async function userOf(req: Request): Promise<(Actor & { name: string }) | null> {
    const actor = await sessionActor(req, deps.session.secret);
    if (!actor) return null;
    const person = await models.Person.findById(actor.email, { name: 1 }).lean();
    return { ...actor, name: person?.name ?? actor.email };
  }

  function render(req: Request, res: Response, view: string, ctx: Record<string, unknown>) {
    const user = res.locals.user as (Actor & { name: string }) | null | undefined;
    const nav = user
      ? [
          { href: '/barriers', text: 'Barriers' },
          ...(canRaise(user, user.locality ?? '')
            ? [{ href: '/barriers/new', text: 'Raise a barrier' }]
            : []),
          ...(canRunAsks(user) ? [{ href: '/triage', text: 'Triage' }] : []),
          { href: '/asks', text: 'Whitehall asks' },
          { href: '/dashboard', text: 'SLA dashboard' },
          ...(deps.devMailbox ? [{ href: '/dev/mailbox', text: 'Mailbox' }] : []),
        ].map((i) => ({ ...i, active: req.path === i.href }))
      : [];
    const html = env.render(view, {
      ...ctx,
      user: user && { ...user, roleLabel: humanise(user.role) },
      nav,
      csrf: csrfToken(req, res, deps.session),
      cspNonce: res.locals.cspNonce as string,
      fieldErrors: ctx.fieldErrors ?? {},
    });
    res.type('html').send(html);
  }

  /** Pages that need a signed-in person. */
  const signedIn =
    (handler: (req: Request, res: Response, user: Actor & { name: string }) => Promise<void>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const user = await userOf(req);
        res.locals.user = user;
        if (!user) {
          res.redirect(303, `/sign-in`);
          return;
        }
        await handler(req, res, user);
      } catch (err) {
        next(err);
      }
    };

  const notFoundPage = (req: Request, res: Response, what: string) => {
    res.status(404);
    render(req, res, 'message.njk', {
      title: 'Page not found',
      message: what,
      link: { href: '/barriers', text: 'Go to barriers' },
    });
  };

  // ---- sign in ----------------------------------------------------------------

  pages.get('/', async (req, res) => {
    res.redirect(303, (await userOf(req)) ? '/barriers' : '/sign-in');
  });

  const signInPage = async (req: Request, res: Response, error?: string) => {
    const people = await models.Person.find(
      {},
      { name: 1, roles: 1, locality: 1, neighbourhood: 1 },
    )
      .sort({ roles: 1, locality: 1, _id: 1 })
      .lean();
    render(req, res, 'sign-in.njk', {
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

  pages.get('/sign-in', async (req, res) => {
    res.locals.user = null;
    if (!deps.devSignIn) {
      res.status(404);
      render(req, res, 'message.njk', {
        title: 'Sign in',
        message:
          'Sign-in through your organisation (OpenID Connect) is not configured on this server.',
      });
      return;
    }
    await signInPage(req, res);
  });

  pages.post('/sign-in', async (req, res) => {
    res.locals.user = null;
    if (!deps.devSignIn) return notFoundPage(req, res, 'Development sign-in is off.');
    const chosen = (req.body as Record<string, unknown>).person;
    const email = typeof chosen === 'string' ? chosen : '';
    const person = email ? await models.Person.findById(email).lean() : null;
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

  pages.post('/sign-out', (_req, res) => {
    signOut(res, deps.session);
    res.redirect(303, '/sign-in');
  });

  // ---- barriers -----------------------------------------------------------------

  pages.get(
    '/barriers',
    signedIn(async (req, res, user) => {
      const q = req.query as Record<string, string | string[] | undefined>;
      const one = (k: string) => {
        const v = q[k];
        return typeof v === 'string' && v !== '' ? v : undefined;
      };
      const flags = ([] as string[]).concat(q.flags ?? []);
      const pick = <T extends string>(v: string | undefined, allowed: readonly T[]) =>
        v && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
      const stage = pick(one('stage'), STAGES);
      const status = pick(one('status'), [
        'open',
        'resolved',
        'withdrawn',
        'merged',
        'closed',
      ] as const);
      const category = pick(one('category'), CATEGORIES);
      const sort = one('sort') === 'raisedAt' ? 'raisedAt' : 'nextDeadline';
      const scope =
        user.role === 'locality-lead'
          ? { locality: user.locality }
          : user.role === 'neighbourhood-lead'
            ? { locality: user.locality, neighbourhood: user.neighbourhood }
            : {};
      const { items, nextCursor } = await listBarriers(models, {
        ...scope,
        stage,
        status,
        category,
        breached: flags.includes('breached') ? true : undefined,
        atRisk: flags.includes('at-risk') ? true : undefined,
        sort,
        limit: 50,
        cursor: one('cursor'),
      });
      const now = Date.now();
      const base = new URLSearchParams();
      for (const [k, v] of Object.entries({ stage, status, category })) if (v) base.set(k, v);
      for (const f of flags) base.append('flags', f);
      const link = (extra: Record<string, string>) => {
        const p = new URLSearchParams(base);
        for (const [k, v] of Object.entries(extra)) p.set(k, v);
        return `/barriers?${p.toString()}`;
      };
      render(req, res, 'barriers.njk', {
        title:
          user.role === 'locality-lead'
            ? `Barriers in ${humanise(user.locality)}`
            : user.role === 'neighbourhood-lead'
              ? 'Your neighbourhood’s barriers'
              : 'All barriers',
        canRaise: canRaise(user, user.locality ?? ''),
        filters: {
          stage: options(STAGES, stage, 'Any stage'),
          status: options(
            ['open', 'resolved', 'withdrawn', 'merged', 'closed'],
            status,
            'Any status',
          ),
          category: options(CATEGORIES, category, 'Any category'),
          sort: [
            { value: 'nextDeadline', text: 'Next deadline', selected: sort === 'nextDeadline' },
            { value: 'raisedAt', text: 'Most recently raised', selected: sort === 'raisedAt' },
          ],
          flags: [
            { value: 'at-risk', text: 'At risk', checked: flags.includes('at-risk') },
            { value: 'breached', text: 'Breached', checked: flags.includes('breached') },
          ],
        },
        sortLinks: {
          nextDeadline: link({ sort: 'nextDeadline' }),
          raisedAt: link({ sort: 'raisedAt' }),
        },
        nextPage: nextCursor ? link({ sort, cursor: nextCursor }) : null,
        rows: items.map((b) => ({
          id: b._id,
          title: b.title,
          where: `${humanise(b.neighbourhood)}, ${humanise(b.locality)}`,
          stage: b.stage,
          status: b.status,
          owner: b.owner?.name ?? '',
          breached: b.breached,
          atRisk: b.atRisk,
          timeLeft: b.status === 'open' ? timeLeft(b.nextDeadlineAt, b.sla.calendar, now) : '',
          raised: london(b.raisedAt),
        })),
      });
    }),
  );

  async function raiseForm(
    req: Request,
    res: Response,
    user: Actor,
    values: Record<string, string>,
    fieldErrors: Record<string, string> = {},
  ) {
    const localities = await models.Locality.find({}, { name: 1, neighbourhoods: 1 })
      .sort({ _id: 1 })
      .lean();
    const allowed =
      user.role === 'admin' ? localities : localities.filter((l) => l._id === user.locality);
    const chosen = values.locality || allowed[0]?._id;
    const neighbourhoods = allowed.find((l) => l._id === chosen)?.neighbourhoods ?? [];
    const order = [
      'title',
      'description',
      'locality',
      'neighbourhood',
      'category',
      'focusArea',
      'peopleAffected',
    ];
    render(req, res, 'raise.njk', {
      title: 'Raise a barrier',
      values,
      fieldErrors,
      errors: order
        .filter((f) => fieldErrors[f])
        .map((f) => ({ text: fieldErrors[f], href: `#${f}` })),
      localityItems: allowed.map((l) => ({
        value: l._id,
        text: l.name,
        selected: l._id === chosen,
      })),
      neighbourhoodItems: [
        { value: '', text: 'Choose a neighbourhood' },
        ...neighbourhoods.map((n) => ({
          value: n.slug,
          text: n.name,
          selected: n.slug === values.neighbourhood,
        })),
      ],
      categoryItems: options(CATEGORIES, values.category, 'Choose a category'),
      focusItems: options(FOCUS_AREAS, values.focusArea, 'None'),
    });
  }

  const RAISE_MESSAGES: Record<string, string> = {
    title: 'Enter a title for the barrier',
    description: 'Describe the barrier and who it affects',
    neighbourhood: 'Choose the neighbourhood it affects',
    category: 'Choose a category',
    peopleAffected: 'Enter the people affected as a whole number, like 120',
  };

  pages.get(
    '/barriers/new',
    signedIn(async (req, res, user) => {
      if (!canRaise(user, user.locality ?? '')) {
        res.status(403);
        render(req, res, 'message.njk', {
          title: 'You cannot raise barriers',
          message: 'Only locality leads raise barriers, in their own locality.',
        });
        return;
      }
      await raiseForm(req, res, user, {});
    }),
  );

  pages.post(
    '/barriers/new',
    signedIn(async (req, res, user) => {
      const form = req.body as Record<string, string>;
      const values = Object.fromEntries(
        [
          'title',
          'description',
          'locality',
          'neighbourhood',
          'category',
          'focusArea',
          'peopleAffected',
        ].map((k) => [k, String(form[k] ?? '')]),
      );
      const people = (values.peopleAffected ?? '').trim();
      const body = {
        title: values.title,
        description: values.description,
        locality: values.locality,
        neighbourhood: values.neighbourhood,
        category: values.category,
        ...(values.focusArea ? { focusArea: values.focusArea } : {}),
        ...(people ? { peopleAffected: /^\d+$/.test(people) ? Number(people) : people } : {}),
      };
      const parsed = raiseBarrierSchema.safeParse(body);
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const p of fieldProblems('body', parsed.error)) {
          const f = p.field.replace(/^body\./, '').split('.')[0]!;
          fieldErrors[f] ??= RAISE_MESSAGES[f] ?? `${humanise(f)} ${p.reason}`;
        }
        res.status(400);
        await raiseForm(req, res, user, values, fieldErrors);
        return;
      }
      try {
        const id = await raiseBarrier(deps, user, parsed.data);
        res.redirect(303, `/barriers/${id}/raised`);
      } catch (err) {
        if (err instanceof HttpProblem && err.status < 500) {
          const fieldErrors: Record<string, string> = {};
          for (const e of err.extra.errors ?? [])
            fieldErrors[e.field.replace(/^body\./, '')] =
              RAISE_MESSAGES[e.field.replace(/^body\./, '')] ?? e.reason;
          if (Object.keys(fieldErrors).length === 0) fieldErrors.title = err.detail;
          res.status(err.status);
          await raiseForm(req, res, user, values, fieldErrors);
          return;
        }
        throw err;
      }
    }),
  );

  async function visible(user: Actor, id: string) {
    if (!/^GT-\d{4,}$/.test(id)) return null;
    const b = await getBarrier(models, id);
    return b && canSee(user, scopeOf(b)) ? b : null;
  }

  pages.get(
    '/barriers/:id/raised',
    signedIn(async (req, res, user) => {
      const b = await visible(user, String(req.params.id));
      if (!b) return notFoundPage(req, res, 'There is no such barrier that you can see.');
      render(req, res, 'raised.njk', {
        title: 'Barrier raised',
        id: b._id,
        owner: b.owner?.name ?? 'its owner',
        due: london(b.sla.acknowledgeDueAt),
      });
    }),
  );

  async function barrierPage(
    req: Request,
    res: Response,
    user: Actor,
    id: string,
    extra: {
      notice?: string;
      errors?: { text: string; href: string }[];
      failed?: { type: string; field: string; text: string }[];
    } = {},
  ) {
    const b = await visible(user, id);
    if (!b) return notFoundPage(req, res, 'There is no such barrier that you can see.');
    const timeline = await getTimeline(models, b);
    const now = Date.now();
    const row = (key: string, value: string) => ({
      key: { text: key },
      value: { text: value || '–' },
    });
    const scope = scopeOf(b);
    const actions = Object.keys(ACTION_FORMS)
      .filter(
        (type) =>
          roleProblem(user, type as BarrierActionType, scope) === undefined &&
          allowedByState(type, b, now),
      )
      .map((type) => {
        const form = ACTION_FORMS[type]!;
        return {
          type,
          label: form.label,
          secondary: form.secondary,
          fields: form.fields.map((f) => ({
            ...f,
            error: extra.failed?.find((x) => x.type === type && x.field === f.name)?.text,
            items:
              f.name === 'reason' && type === 'request-info'
                ? options(
                    ['awaiting-information', 'awaiting-third-party', 'awaiting-decision'],
                    undefined,
                  )
                : f.name === 'department'
                  ? Object.entries(DEPARTMENTS).map(([value, text]) => ({ value, text }))
                  : undefined,
          })),
        };
      });
    const text = (d: Record<string, unknown>) =>
      ['text', 'note', 'reason', 'question', 'response', 'resolution']
        .map((k) => d[k])
        .find((v): v is string => typeof v === 'string' && v !== '') ?? '';
    render(req, res, 'barrier.njk', {
      title: `${b._id}: ${b.title}`,
      notice: extra.notice,
      errors: extra.errors ?? [],
      b: {
        id: b._id,
        title: b.title,
        where: `${humanise(b.neighbourhood)}, ${humanise(b.locality)}`,
        breached: b.breached,
        atRisk: b.atRisk,
      },
      summary: [
        row('Status', `${humanise(b.status)} at the ${b.stage} stage`),
        row('Owner', b.owner ? `${b.owner.name} (${b.owner.email})` : ''),
        row(
          'Raised by',
          `${(b.raisers?.length ? b.raisers : [b.raisedBy]).join(', ')} on ${london(b.raisedAt)}`,
        ),
        row('Category', humanise(b.category) + (b.focusArea ? ` · ${humanise(b.focusArea)}` : '')),
        row(
          'People affected',
          b.peopleAffected === null || b.peopleAffected === undefined
            ? ''
            : String(b.peopleAffected),
        ),
        row('Description', b.description),
        ...(b.askId ? [row('Whitehall ask', b.askId)] : []),
        ...(b.links?.length ? [row('Linked barriers', b.links.join(', '))] : []),
        ...(b.mergedInto ? [row('Merged into', b.mergedInto)] : []),
        ...(b.resolution ? [row('Resolution', b.resolution)] : []),
      ],
      clocks: [
        row('Acknowledge by', b.acknowledged ? 'Acknowledged' : london(b.sla.acknowledgeDueAt)),
        row('Resolve by', london(b.sla.resolveDueAt)),
        row(
          'Time left',
          b.status === 'open' ? timeLeft(b.nextDeadlineAt, b.sla.calendar, now) : '',
        ),
        row(
          'Clock',
          b.sla.paused
            ? `Paused: ${humanise(b.sla.pauseReason)}`
            : b.status === 'open'
              ? `Running (${b.sla.calendar === '24x7' ? 'clock time' : 'working hours, Europe/London'})`
              : 'Stopped',
        ),
        row('Policy', `${b.policy.id} version ${b.policy.version}`),
      ],
      timeline: timeline.map((e) => ({
        label: `${humanise(e.type)}${e.barrierId !== b._id ? ` (on ${e.barrierId})` : ''}`,
        at: london(e.at),
        actor: e.actor === 'system' ? 'Golden Thread' : e.actor,
        text: text(e.details as Record<string, unknown>),
      })),
      actions,
    });
  }

  pages.get(
    '/barriers/:id',
    signedIn(async (req, res, user) => {
      const done = typeof req.query.done === 'string' ? req.query.done : undefined;
      await barrierPage(req, res, user, String(req.params.id), {
        notice:
          done && ACTION_FORMS[done]
            ? `Done: ${ACTION_FORMS[done].label.toLowerCase()}.`
            : undefined,
      });
    }),
  );

  pages.post(
    '/barriers/:id/actions',
    signedIn(async (req, res, user) => {
      const id = String(req.params.id);
      const b = await visible(user, id);
      if (!b) return notFoundPage(req, res, 'There is no such barrier that you can see.');
      const body = actionBody(req.body as Record<string, string>);
      const type = String(body.type);
      const parsed = barrierActionSchema.safeParse(body);
      const fail = async (
        status: number,
        failed: { type: string; field: string; text: string }[],
      ) => {
        res.status(status);
        await barrierPage(req, res, user, id, {
          failed,
          errors: failed.map((f) => ({ text: f.text, href: `#${f.type}-${f.field}` })),
        });
      };
      if (!parsed.success) {
        const failed = fieldProblems('body', parsed.error).map((p) => {
          const raw = p.field.replace(/^body\./, '').replace(/^ask\./, '');
          const field = { title: 'askTitle', ask: 'askText' }[raw] ?? raw;
          return { type, field, text: `${humanise(field)} ${p.reason}` };
        });
        return fail(400, failed);
      }
      try {
        await actOnVisibleBarrier(deps, user, b, parsed.data);
      } catch (err) {
        if (err instanceof HttpProblem && err.status < 500) {
          const field = ACTION_FORMS[type]?.fields[0]?.name ?? 'type';
          const first = err.extra.errors?.[0];
          return fail(err.status, [
            {
              type,
              field: first ? first.field.replace(/^body\./, '') : field,
              text: first
                ? `${humanise(first.field.replace(/^body\./, ''))} ${first.reason}`
                : err.detail,
            },
          ]);
        }
        throw err;
      }
      res.redirect(303, `/barriers/${id}?done=${encodeURIComponent(type)}`);
    }),
  );

  // ---- GMCA: triage and asks -----------------------------------------------------------

  pages.get(
    '/triage',
    signedIn(async (req, res, user) => {
      if (!canRunAsks(user)) {
        res.status(403);
        render(req, res, 'message.njk', {
          title: 'Triage is for GMCA staff',
          message: 'Only GMCA triage staff see the triage queue.',
        });
        return;
      }
      const queue = await models.Barrier.find({ stage: 'gmca', status: 'open' })
        .limit(2_000)
        .lean();
      const now = Date.now();
      const items = queue
        .map((b) => ({
          b,
          i: {
            id: b._id,
            title: b.title,
            locality: b.locality,
            category: b.category,
            focusArea: b.focusArea ?? null,
            breached: Boolean(b.breached),
            nextDeadlineAt: b.nextDeadlineAt?.getTime() ?? null,
            peopleAffected: b.peopleAffected ?? null,
            localities: 1 + (b.mergedFrom?.length ?? 0),
          },
        }))
        .sort((x, y) => byUrgency(x.i, y.i));
      render(req, res, 'list.njk', {
        title: 'Triage queue',
        intro:
          'Every barrier escalated to GMCA, most urgent first: breached, then the nearest deadline, then people affected, then localities sharing it.',
        links: [{ href: '/api/v1/triage', text: 'The queue as JSON, with likely duplicates' }],
        tables: [
          {
            caption: `${items.length} escalated barrier${items.length === 1 ? '' : 's'}`,
            empty: 'Nothing is waiting for triage.',
            head: ['Reference', 'Title', 'Locality', 'Category', 'People affected', 'Deadline'],
            rows: items.map(({ b }) => [
              { text: b._id, href: `/barriers/${b._id}` },
              { text: b.title },
              { text: humanise(b.locality) },
              { text: humanise(b.category) },
              {
                text:
                  b.peopleAffected === null || b.peopleAffected === undefined
                    ? ''
                    : String(b.peopleAffected),
              },
              { text: b.breached ? 'Breached' : timeLeft(b.nextDeadlineAt, b.sla.calendar, now) },
            ]),
          },
        ],
      });
    }),
  );

  const askScope = (user: Actor): Record<string, unknown> =>
    user.role === 'locality-lead'
      ? { 'evidence.localities': user.locality }
      : user.role === 'neighbourhood-lead'
        ? { 'evidence.neighbourhoods': `${user.locality}/${user.neighbourhood}` }
        : {};
  const dept = (d: string) => DEPARTMENTS[d as Department] ?? d;

  pages.get(
    '/asks',
    signedIn(async (req, res, user) => {
      const asks = await models.Ask.find(askScope(user)).sort({ createdAt: -1 }).limit(500).lean();
      render(req, res, 'list.njk', {
        title: 'Whitehall asks',
        intro:
          'Formal asks of central government, bundling barriers from across Greater Manchester.',
        links: [{ href: '/api/v1/asks?format=csv', text: 'Download the register (CSV)' }],
        tables: [
          {
            caption: `${asks.length} ask${asks.length === 1 ? '' : 's'}`,
            empty: 'There are no asks you can see yet.',
            head: ['Reference', 'Title', 'Department', 'Status', 'Outcome', 'Response due'],
            rows: asks.map((a) => [
              { text: a._id, href: `/asks/${a._id}` },
              { text: a.title },
              { text: dept(a.department) },
              { text: humanise(a.status) },
              { text: humanise(a.outcome ?? '') },
              { text: london(a.dueAt) },
            ]),
          },
        ],
      });
    }),
  );

  pages.get(
    '/asks/:id',
    signedIn(async (req, res, user) => {
      const id = String(req.params.id);
      const a = /^ASK-\d{4,}$/.test(id)
        ? await models.Ask.findOne({ _id: id, ...askScope(user) }).lean()
        : null;
      if (!a) return notFoundPage(req, res, 'There is no such ask that you can see.');
      const [evidence, timeline]: [AskEvidence, Awaited<ReturnType<typeof getTimeline>>] =
        await Promise.all([
          computeEvidence(models, a.barrierIds, Date.now()),
          getTimeline(models, a),
        ]);
      render(req, res, 'list.njk', {
        title: `${a._id}: ${a.title}`,
        intro: `${a.ask} — to ${dept(a.department)}. ${humanise(a.status)}${a.outcome ? `, outcome ${a.outcome}` : ''}${a.dueAt ? `; response due ${london(a.dueAt)}` : ''}. Localities: ${evidence.localities.map(humanise).join(', ')}; people affected: ${evidence.peopleAffected}; breaches along the way: ${evidence.breaches}.`,
        links: [],
        tables: [
          {
            caption: 'Bundled barriers',
            empty: 'None.',
            head: ['Reference', 'Title', 'Locality', 'Status', 'People affected', 'Breaches'],
            rows: evidence.barriers.map((b) => [
              { text: b.id, href: `/barriers/${b.id}` },
              { text: b.title },
              { text: humanise(b.locality) },
              { text: humanise(b.status) },
              { text: b.peopleAffected === null ? '' : String(b.peopleAffected) },
              { text: String(b.breaches) },
            ]),
          },
          {
            caption: 'Timeline',
            empty: 'Nothing yet.',
            head: ['When', 'What', 'Who'],
            rows: timeline.map((e) => [
              { text: london(e.at) },
              { text: humanise(e.type) },
              { text: e.actor === 'system' ? 'Golden Thread' : e.actor },
            ]),
          },
        ],
      });
    }),
  );

  // ---- dashboard ---------------------------------------------------------------------

  pages.get(
    '/dashboard',
    signedIn(async (req, res) => {
      const [closed, breachedIds, open, routed, breaches] = await Promise.all([
        models.Barrier.find({ status: { $in: ['resolved', 'closed'] } }, { locality: 1 }).lean(),
        models.TimelineEvent.distinct('barrierId', { type: 'breached' }),
        models.Barrier.find({ status: 'open' }, { category: 1 }).lean(),
        models.TimelineEvent.find({ type: 'routed', barrierId: /^GT-/ }, { stage: 1 }).lean(),
        models.TimelineEvent.find({ type: 'breached' }, { stage: 1, at: 1 }).lean(),
      ]);
      const breachedSet = new Set(breachedIds.map(String));
      const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((100 * n) / d));
      const localityRows = [...new Set(closed.map((b) => b.locality))].sort().map((l) => {
        const mine = closed.filter((b) => b.locality === l);
        const ok = mine.filter((b) => !breachedSet.has(b._id)).length;
        return { label: humanise(l), value: pct(ok, mine.length), n: mine.length };
      });
      const stageRows = STAGES.filter((s) => s !== 'whitehall').map((s) => {
        const entered = routed.filter((e) => e.stage === s).length;
        const missed = breaches.filter((e) => e.stage === s).length;
        return {
          label: humanise(s),
          value: pct(Math.max(0, entered - missed), entered),
          n: entered,
        };
      });
      const week = 7 * 86_400_000;
      const now = Date.now();
      const weekRows = [7, 6, 5, 4, 3, 2, 1, 0].map((ago) => {
        const to = now - ago * week;
        const from = to - week;
        return {
          label: `Week to ${london(to).slice(0, 10)}`,
          value: breaches.filter((e) => e.at.getTime() > from && e.at.getTime() <= to).length,
        };
      });
      const categoryRows = CATEGORIES.map((c) => ({
        label: humanise(c),
        value: open.filter((b) => b.category === c).length,
      }));
      const chart = (
        id: string,
        title: string,
        explain: string,
        rows: { label: string; value: number; n?: number }[],
        unit: string,
        headValue: string,
        max?: number,
      ) => ({
        title,
        explain,
        empty: 'Nothing to show yet.',
        svg: barChart(
          id,
          title,
          rows.map((r) => ({ label: r.label, value: r.value, display: `${r.value}${unit}` })),
          max,
        ),
        head: ['', headValue, ...(rows.some((r) => r.n !== undefined) ? ['Out of'] : [])],
        rows: rows.map((r) => [
          { text: r.label },
          { text: `${r.value}${unit}` },
          ...(r.n !== undefined ? [{ text: String(r.n) }] : []),
        ]),
      });
      render(req, res, 'dashboard.njk', {
        title: 'SLA dashboard',
        asOf: london(now),
        charts: [
          chart(
            'by-locality',
            'Resolved within target, by locality',
            'The share of resolved or closed barriers that never breached a deadline.',
            localityRows,
            '%',
            'Within target',
            100,
          ),
          chart(
            'by-stage',
            'Within target, by stage',
            'The share of times a barrier reached a stage without a deadline there being missed.',
            stageRows,
            '%',
            'Within target',
            100,
          ),
          chart(
            'breaches',
            'Breaches over time',
            'Deadlines missed in each of the last eight weeks.',
            weekRows,
            '',
            'Breaches',
          ),
          chart(
            'categories',
            'Open barriers by category',
            'How many barriers are open in each category now.',
            categoryRows,
            '',
            'Open',
          ),
        ],
      });
    }),
  );

  // ---- development mailbox ---------------------------------------------------------------

  if (deps.devMailbox) {
    const sink = deps.devMailbox;
    pages.get(
      '/dev/mailbox',
      signedIn(async (req, res) => {
        await Promise.resolve();
        render(req, res, 'mailbox.njk', {
          title: 'Development mailbox',
          messages: sink
            .messages()
            .reverse()
            .map((m) => ({
              subject: m.subject,
              to: m.to.join(', '),
              kind: m.kind,
              at: london(m.receivedAt),
              text: m.text,
            })),
        });
      }),
    );
  }

  router.use(pages);
  // Anything else on the pages side: a page, not JSON.
  router.use((req, res, next) => {
    if (req.path.startsWith('/api/')) return next();
    void userOf(req).then(
      (u) => {
        res.locals.user = u;
        res.locals.cspNonce ??= randomBytes(16).toString('base64');
        notFoundPage(req, res, `There is nothing at ${req.path}.`);
      },
      (err: unknown) => next(err),
    );
  });
  return router;
}
