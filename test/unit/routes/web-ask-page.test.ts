/**
 * An ask's page over fake services: its facts, the evidence worked out from
 * its barriers, and a form for each action the ask's state allows and the
 * person may take. Each action redirects to the page with a banner; bad input
 * is a 400 with the error summary that changes nothing; a refusal from the
 * ask is a clear error on the page, never a 500.
 */
import request from 'supertest';
import type { Publication } from '../../../services/open-register/register.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ASK_ACTION_TYPES, type AskActionType } from '../../../domain/ask/action-rules.ts';
import type { Services } from '../../../services/create-services.ts';
import { Forbidden, InvalidInput, Rejected } from '../../../services/errors.ts';
import { PACK_NOW, askPageSources, fixturePublication } from '../../support/evidence-pack.ts';
import {
  appWithAllRoutes,
  fieldValue,
  getPage,
  leighLead,
  pageCookie,
  pageCsrf,
  pageErrors,
  postForm,
  signedInAs,
  triage,
  type FakeServices,
  type TestPerson,
} from '../../support/route-harness.ts';

type Sources = Awaited<ReturnType<Services['asks']['withEvidence']>>;

// The page says how long is left from now: 7 December 2026 at 1:20pm.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(PACK_NOW);
});
afterAll(() => {
  vi.useRealTimers();
});

const sourcesOf = (over: Record<string, unknown> = {}) => askPageSources(over) as Sources;

/** The asks and names services for ASK-0003 as `over` leaves it. */
function reading(
  over: Record<string, unknown> = {},
  act = vi.fn(() => Promise.resolve()),
  publication: Publication | null = null,
) {
  const sources = sourcesOf(over);
  return {
    publications: { of: () => Promise.resolve(publication) },
    asks: {
      visible: vi.fn(() => Promise.resolve(sources.ask)),
      withEvidence: vi.fn(() => Promise.resolve(sources)),
      act,
    },
    barriers: {
      namesOf: () => Promise.resolve({ 'tom.triage@example.org': 'Tom Triage' }),
    },
  } satisfies FakeServices;
}

const appFor = (who: TestPerson, services: FakeServices) =>
  appWithAllRoutes({ ...signedInAs(who), ...services });

/** The words a page shows a person: its main content without markup. */
const visibleText = (html: string) =>
  (/<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? '')
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** The success banner's words, or undefined when there is none. */
const banner = (html: string) =>
  /<p class="govuk-notification-banner__heading">\s*([\s\S]*?)\s*<\/p>/.exec(html)?.[1];

/** The forms the page offers, by their action type. */
const formsOn = (html: string) =>
  [...html.matchAll(/<input type="hidden" name="type" value="([^"]+)">/g)].map((m) => m[1]);

const DRAFT = {
  status: 'draft',
  submittedAt: null,
  dueAt: null,
  nextChaseAt: null,
  chasers: 0,
  lastSeq: 3,
};

describe('an ask’s page', () => {
  it('sends someone who is not signed in to sign in', async () => {
    const res = await request(appWithAllRoutes({})).get('/asks/ASK-0003');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
  });

  it('gives the ask’s facts in words: department, dates, working days left, each chaser', async () => {
    const services = reading({ nextChaseAt: new Date('2026-12-08T17:00:00Z') });
    const res = await getPage(appFor(triage, services), '/asks/ASK-0003');
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('Department for Work and Pensions');
    expect(text).toContain('Submitted 3 November 2026 at 10am');
    // Due 1 December at 5pm; it is 7 December at 1:20pm: four working days and a few hours late.
    expect(text).toMatch(
      /Response due 1 December 2026 at 5pm \(overdue by 3 working days and \d+ hours?\)/,
    );
    expect(text).toContain(
      '1 December 2026 at 5pm: Chaser 1 sent automatically: no response by its due date',
    );
    expect(text).toContain(
      '3 December 2026 at 10am: Chased by GMCA: Raised with the minister’s private office',
    );
    expect(text).toContain(
      'If no response comes, Golden Thread sends another chaser on 8 December 2026',
    );
    expect(text).toContain('Outcome Not answered yet');
    expect(text).toContain('Drafted 2 November 2026 at 10am by Tom Triage');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}|\bP(T\d+[HMS]|\d+[DW])/);
    expect(services.asks.visible).toHaveBeenCalledWith(
      expect.objectContaining(triage.actor),
      'ASK-0003',
    );
  });

  it('keeps the department’s response in full, paragraph by paragraph', async () => {
    const response =
      'We agree in part.\n\nDWP will share Universal Credit data\nfor a pilot in Wigan.\n\nHealth visiting data is for DHSC.';
    const res = await getPage(
      appFor(
        triage,
        reading({
          status: 'answered',
          outcome: 'partially-agreed',
          response,
          respondedAt: new Date('2026-12-04T11:00:00Z'),
        }),
      ),
      '/asks/ASK-0003',
    );
    expect(res.text).toContain('<p class="govuk-body">We agree in part.</p>');
    // A line break within a paragraph is kept (the summary list indents what follows it).
    expect(res.text).toMatch(
      /<p class="govuk-body">DWP will share Universal Credit data\n\s*for a pilot in Wigan.<\/p>/,
    );
    expect(res.text).toContain('<p class="govuk-body">Health visiting data is for DHSC.</p>');
    const text = visibleText(res.text);
    expect(text).toContain('Outcome Partially agreed');
    expect(text).toContain('Answered 4 December 2026 at 11am');
    // Answered: nothing is chased or due any more, and nothing can be done but read.
    expect(text).toContain('Response due 1 December 2026 at 5pm Chasers');
    expect(formsOn(res.text)).toEqual([]);
  });

  it('shows all ten localities with those affected marked, and the people by locality', async () => {
    const res = await getPage(appFor(leighLead, reading()), '/asks/ASK-0003');
    const table = /<table[^>]*id="localities"[\s\S]*?<\/table>/.exec(res.text)?.[0] ?? '';
    const rows = [...table.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
      .slice(1)
      .map((m) => visibleText(`<main>${m[1]}</main>`).trim());
    expect(rows).toHaveLength(11);
    expect(rows[0]).toBe('Bolton Yes Bolton Central and Farnworth & Kearsley 1 300');
    expect(rows[1]).toBe('Bury No');
    expect(rows[9]).toBe('Wigan Yes Leigh and Wigan Central 2 120 (1 barrier does not say)');
    expect(rows[10]).toBe(
      'Greater Manchester 2 of 10 4 neighbourhoods 3 420 (1 barrier does not say)',
    );
    expect(table).toContain('Where the barriers are: 2 of Greater Manchester’s 10 localities');
  });

  it('says how long each barrier has waited, at each stage, and the deadlines it missed', async () => {
    const res = await getPage(appFor(triage, reading()), '/asks/ASK-0003');
    const table = visibleText(
      `<main>${/<table[^>]*id="waiting"[\s\S]*?<\/table>/.exec(res.text)?.[0] ?? ''}</main>`,
    );
    expect(table).toContain(
      'GT-0007 1 October 2026 47 working days and 3 hours Neighbourhood: 5 working days and 7 hours Locality: 9 working days and 1 hour GMCA: 6 working days and 7 hours Whitehall: 25 working days and 3 hours To resolve by 8 October 2026 at 5pm (neighbourhood stage)',
    );
    expect(table).toContain(
      'To acknowledge by 13 October 2026 at 5pm (neighbourhood stage) – by GT-0013, since merged into it',
    );
    const text = visibleText(res.text);
    expect(text).toContain('Categories Data sharing: 2 barriers Funding: 1 barrier');
    expect(text).toContain('Focus areas None given');
  });

  it('gives each barrier’s own description as a case in its locality’s words', async () => {
    const res = await getPage(appFor(triage, reading()), '/asks/ASK-0003');
    const text = visibleText(res.text);
    expect(text).toContain(
      'Health visitors and housing officers in Leigh cannot see one another’s caseload, so families tell their story four times. In Wigan’s words',
    );
    expect(res.text).toContain('href="/barriers/GT-0011"');
    expect(res.text).toContain('data-print-url="http://localhost:3000/barriers/GT-0011"');
    expect(text).toContain('Duplicates merged into it GT-0013');
  });

  it('names who acted on its history from the directory, an email only where it has no name', async () => {
    const services = reading();
    const sources = sourcesOf();
    const timeline = [
      ...sources.timeline,
      { ...sources.timeline[0]!, seq: 7, type: 'withdrawn', actor: 'tom.triage@example.org' },
      { ...sources.timeline[0]!, seq: 8, type: 'email-rejected', actor: 'someone@example.org' },
    ];
    services.asks.withEvidence.mockResolvedValue({ ...sources, timeline });
    const res = await getPage(appFor(triage, services), '/asks/ASK-0003');
    const history = visibleText(res.text).split('History')[1] ?? '';
    expect(history).toContain('by Tom Triage');
    expect(history).toContain('by someone@example.org');
    expect(history).not.toContain('by tom.triage@example.org');
  });

  it('says before it is submitted how long the department will have to respond', async () => {
    const res = await getPage(
      appFor(triage, reading({ ...DRAFT, responseTarget: 'P20D' })),
      '/asks/ASK-0003',
    );
    expect(visibleText(res.text)).toContain(
      'Submit to the department The department then has 20 working days to respond.',
    );
  });

  it('offers the evidence pack to anyone who can see the ask, and no action to a locality lead', async () => {
    const res = await getPage(appFor(leighLead, reading(DRAFT)), '/asks/ASK-0003');
    expect(formsOn(res.text)).toEqual([]);
    expect(res.text).toContain('href="/asks/ASK-0003/evidence-pack.docx"');
    expect(res.text).toContain('href="/asks/ASK-0003/evidence-pack.pdf"');
  });

  it.each([
    ['a draft', DRAFT, ['add-barrier', 'remove-barrier', 'submit', 'withdraw']],
    [
      'a draft of one barrier',
      { ...DRAFT, barrierIds: ['GT-0007'] },
      ['add-barrier', 'submit', 'withdraw'],
    ],
    ['a submitted ask', {}, ['chase', 'record-response', 'withdraw']],
    ['a withdrawn ask', { status: 'withdrawn' }, []],
  ])('offers GMCA the forms %s allows, and only those', async (_, over, forms) => {
    const res = await getPage(appFor(triage, reading(over)), '/asks/ASK-0003');
    expect(formsOn(res.text)).toEqual(forms);
  });
});

/** A form for each action that the ask would accept, as the page's fields post it. */
const FILLED: Record<AskActionType, Record<string, string>> = {
  'add-barrier': { barrierId: ' gt-0042 ' },
  'remove-barrier': { barrierId: 'GT-0012' },
  submit: {},
  chase: { note: 'Rang the private office' },
  'record-response': { outcome: 'partially-agreed', response: 'Yes in part.\n\nNot the rest.' },
  withdraw: { reason: 'Overtaken by the spending review' },
};

/** What each posted form asks the service to do. */
const ACTION: Record<AskActionType, Record<string, string>> = {
  'add-barrier': { type: 'add-barrier', barrierId: 'GT-0042' },
  'remove-barrier': { type: 'remove-barrier', barrierId: 'GT-0012' },
  submit: { type: 'submit' },
  chase: { type: 'chase', note: 'Rang the private office' },
  'record-response': {
    type: 'record-response',
    outcome: 'partially-agreed',
    response: 'Yes in part.\n\nNot the rest.',
  },
  withdraw: { type: 'withdraw', reason: 'Overtaken by the spending review' },
};

const BANNERS: Record<AskActionType, string> = {
  'add-barrier': 'GT-0042 added to ASK-0003',
  'remove-barrier': 'GT-0012 removed from ASK-0003: it is back in GMCA’s triage queue',
  submit:
    'ASK-0003 submitted to the Department for Work and Pensions: a response is due by 1 December 2026',
  chase: 'ASK-0003 chased: the chaser is on its history',
  'record-response': 'ASK-0003 answered: the department’s response is recorded',
  withdraw: 'ASK-0003 withdrawn: its barriers are back in GMCA’s triage queue',
};

describe('an ask’s actions from its page', () => {
  it.each(ASK_ACTION_TYPES)(
    'after %s, goes back to the ask and says in a banner what was done',
    async (type) => {
      const services = reading();
      const app = appFor(triage, services);
      const res = await postForm(app, '/asks/ASK-0003/actions', {
        _csrf: pageCsrf,
        type,
        ...FILLED[type],
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(new RegExp(`^/asks/ASK-0003\\?done=${type}`));
      expect(services.asks.act).toHaveBeenCalledWith(
        expect.objectContaining(triage.actor),
        expect.objectContaining({ _id: 'ASK-0003' }),
        ACTION[type],
      );
      const after = await getPage(app, res.headers.location!);
      expect(after.status).toBe(200);
      expect(banner(after.text)).toBe(BANNERS[type]);
    },
  );

  it.each([
    ['add-barrier', {}, 'add-barrier-barrierId', 'Enter the reference of the barrier to add'],
    [
      'add-barrier',
      { barrierId: 'forty-two' },
      'add-barrier-barrierId',
      'Enter a barrier reference like GT-0042',
    ],
    ['remove-barrier', {}, 'remove-barrier-barrierId', 'Select the barrier to remove'],
    [
      'record-response',
      { response: 'We agree.' },
      'record-response-outcome',
      'Select what the department answered',
    ],
    [
      'record-response',
      { outcome: 'agreed', response: '   ' },
      'record-response-response',
      'Enter the department’s response',
    ],
    [
      'record-response',
      { outcome: 'maybe', response: 'Hm.' },
      'record-response-outcome',
      'Select what the department answered',
    ],
    ['withdraw', {}, 'withdraw-reason', 'Enter why the ask is withdrawn'],
    ['chase', { note: 'x'.repeat(2001) }, 'chase-note', 'Note must be at most 2000 characters'],
  ] as const)(
    'refuses %s with %j: a 400 with the error summary and the field’s error, changing nothing',
    async (type, form, field, message) => {
      const over = type === 'add-barrier' || type === 'remove-barrier' ? DRAFT : {};
      const services = reading(over);
      const res = await postForm(appFor(triage, services), '/asks/ASK-0003/actions', {
        _csrf: pageCsrf,
        type,
        ...form,
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('<title>Error: ');
      expect(pageErrors(res.text)).toEqual({ summary: [field], fields: [field] });
      expect(visibleText(res.text)).toContain(message);
      expect(services.asks.act).not.toHaveBeenCalled();
    },
  );

  it('keeps what was typed when a form is refused', async () => {
    const res = await postForm(appFor(triage, reading()), '/asks/ASK-0003/actions', {
      _csrf: pageCsrf,
      type: 'record-response',
      response: 'A long answer\n\nin two parts',
    });
    expect(res.status).toBe(400);
    expect(fieldValue(res.text, 'record-response-response')).toBe('A long answer\n\nin two parts');
  });

  it('says clearly when the ask refuses, as when it is submitted twice, and is never a 500', async () => {
    const refuse = vi.fn(() =>
      Promise.reject(
        new Rejected(
          'You cannot submit on ASK-0003 now: an ask is submitted only while the ask is a draft; it is submitted.',
        ),
      ),
    );
    // The page is read again after the refusal: the ask is submitted, so no submit form.
    const res = await postForm(appFor(triage, reading({}, refuse)), '/asks/ASK-0003/actions', {
      _csrf: pageCsrf,
      type: 'submit',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('govuk-error-summary');
    expect(res.text).toContain(
      'You cannot submit on ASK-0003 now: an ask is submitted only while the ask is a draft; it is submitted.',
    );
    expect(pageErrors(res.text).summary).toEqual(['actions']);
  });

  it('puts a refusal naming the barrier on the reference field', async () => {
    const refuse = vi.fn(() =>
      Promise.reject(
        new InvalidInput('GT-0099 is not a barrier', [
          { field: 'body.barrierId', reason: 'GT-0099 is not a barrier' },
        ]),
      ),
    );
    const res = await postForm(appFor(triage, reading(DRAFT, refuse)), '/asks/ASK-0003/actions', {
      _csrf: pageCsrf,
      type: 'add-barrier',
      barrierId: 'GT-0099',
    });
    expect(res.status).toBe(400);
    expect(pageErrors(res.text)).toEqual({
      summary: ['add-barrier-barrierId'],
      fields: ['add-barrier-barrierId'],
    });
    expect(fieldValue(res.text, 'add-barrier-barrierId')).toBe('GT-0099');
  });

  it('shows a refusal of the whole action above its button', async () => {
    const refuse = vi.fn(() =>
      Promise.reject(new Rejected('You cannot withdraw on ASK-0003 now: the ask is busy.')),
    );
    const res = await postForm(appFor(triage, reading({}, refuse)), '/asks/ASK-0003/actions', {
      _csrf: pageCsrf,
      type: 'withdraw',
      reason: 'Overtaken',
    });
    expect(res.status).toBe(422);
    expect(pageErrors(res.text)).toEqual({
      summary: ['withdraw-reason'],
      fields: ['withdraw-reason'],
    });
  });

  it('refuses someone who may not run asks, with the reason, changing nothing', async () => {
    const act = vi.fn(() =>
      Promise.reject(
        new Forbidden('Only GMCA triage staff (and admins) create and run Whitehall asks.'),
      ),
    );
    const res = await postForm(appFor(leighLead, reading({}, act)), '/asks/ASK-0003/actions', {
      _csrf: pageCsrf,
      type: 'chase',
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain(
      'Only GMCA triage staff (and admins) create and run Whitehall asks.',
    );
  });

  it('refuses a form without its CSRF token and changes nothing', async () => {
    const services = reading();
    const res = await postForm(appFor(triage, services), '/asks/ASK-0003/actions', {
      type: 'submit',
    });
    expect(res.status).toBe(403);
    expect(services.asks.act).not.toHaveBeenCalled();
  });

  it('refuses an action the page does not know, pointing at the list of actions', async () => {
    const services = reading();
    const res = await postForm(appFor(triage, services), '/asks/ASK-0003/actions', {
      _csrf: pageCsrf,
      type: 'publish',
    });
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).summary).toEqual(['actions']);
    expect(services.asks.act).not.toHaveBeenCalled();
  });

  it.each(['constructor', '__proto__', 'hacked', '', '<b>x</b>'])(
    'shows no banner for a forged done=%s',
    async (done) => {
      const res = await request(appFor(triage, reading()))
        .get('/asks/ASK-0003')
        .query({ done })
        .set('Cookie', pageCookie);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('govuk-notification-banner');
    },
  );

  it('names no forged barrier in a banner', async () => {
    const res = await getPage(
      appFor(triage, reading()),
      '/asks/ASK-0003?done=add-barrier&barrier=%3Cb%3Ex%3C/b%3E',
    );
    expect(banner(res.text)).toBe('The barrier added to ASK-0003');
  });
});

describe('an ask’s place on the open register, on its page', () => {
  const published = (over: Partial<Publication> = {}) =>
    fixturePublication({
      version: 6,
      history: [
        {
          type: 'published',
          at: new Date(PACK_NOW),
          by: 'tom.triage@example.org',
          version: 6,
          status: 'submitted',
          outcome: null,
        },
      ],
      ...over,
    });

  it('offers GMCA “Publish this ask” once it is submitted, and says it is not published', async () => {
    const res = await getPage(appFor(triage, reading()), '/asks/ASK-0003');
    expect(res.text).toContain('href="/asks/ASK-0003/publish">Publish this ask</a>');
    expect(visibleText(res.text)).toContain('Open register Not published');
  });

  it('offers no publishing for a draft or an ask never submitted, nor to a locality lead', async () => {
    const draft = await getPage(appFor(triage, reading(DRAFT)), '/asks/ASK-0003');
    expect(draft.text).not.toContain('/publish"');
    expect(visibleText(draft.text)).toContain('an ask can be published once it is submitted');
    const lead = await getPage(appFor(leighLead, reading()), '/asks/ASK-0003');
    expect(lead.text).not.toContain('/publish"');
    const neverSent = await getPage(
      appFor(triage, reading({ ...DRAFT, status: 'withdrawn' })),
      '/asks/ASK-0003',
    );
    expect(neverSent.text).not.toContain('/publish"');
  });

  it('once published: links to the public page, offers the withdrawal, and puts it on the history', async () => {
    const res = await getPage(
      appFor(triage, reading({}, undefined, published())),
      '/asks/ASK-0003',
    );
    expect(res.text).toContain('href="/open/asks/ASK-0003">See it on the open register</a>');
    expect(res.text).toContain('action="/asks/ASK-0003/unpublish"');
    expect(res.text).not.toContain('/publish"');
    expect(visibleText(res.text)).toContain('Open register Published on 7 December 2026');
    expect(visibleText(res.text)).toContain('Published on the open register');
    expect(visibleText(res.text)).toMatch(/Published on the open register[\s\S]*Tom Triage/);
  });

  it('offers “Publish the update” when the ask has changed since', async () => {
    const res = await getPage(
      appFor(triage, reading({ lastSeq: 8 }, undefined, published())),
      '/asks/ASK-0003',
    );
    expect(res.text).toContain('href="/asks/ASK-0003/publish">Publish the update</a>');
    expect(visibleText(res.text)).toContain('The ask has changed since');
  });

  it('says after withdrawal when it was taken down, and offers it again', async () => {
    const withdrawn = published({
      status: 'withdrawn',
      withdrawnAt: new Date('2026-12-08T10:00Z'),
    });
    const res = await getPage(appFor(triage, reading({}, undefined, withdrawn)), '/asks/ASK-0003');
    expect(visibleText(res.text)).toContain(
      'Open register Withdrawn from the open register on 8 December 2026',
    );
    expect(res.text).toContain('href="/asks/ASK-0003/publish">Publish this ask again</a>');
  });

  it.each([
    ['published', 'ASK-0003 is published on the open register'],
    ['publication-updated', 'The open register now shows ASK-0003 as it stands'],
    ['unpublished', 'ASK-0003 was withdrawn from the open register'],
  ])('says in a banner what %s did', async (done, words) => {
    const res = await getPage(appFor(triage, reading()), `/asks/ASK-0003?done=${done}`);
    expect(banner(res.text)).toContain(words);
  });
});
