import { describe, expect, it } from 'vitest';
import { barrierDocument } from '../../activities/projection.ts';
import { BANK_HOLIDAYS_LAST_YEAR, WORKING_DAY_MS } from '../../domain/calendar/working-time.ts';
import { barrierView } from '../../test/support/views.ts';
import { barrierPageView } from './barrier-page.ts';
import { actionBody, actionForms, doneNotice, failedFields } from './barrier-actions.ts';
import { listFilters, listQuery } from './barrier-list.ts';
import { navigation } from './navigation.ts';
import { triageView } from './triage.ts';
import type { TriageEntry } from '../../services/triage.ts';
import { NO_DATA, chartCsv, dashboardView } from './dashboard.ts';
import { dashboardFigures, standingFigures } from '../../domain/dashboard/figures.ts';
import { totalsOf } from '../../domain/dashboard/totals.ts';
import { asksByOutcome } from '../../domain/dashboard/ask-outcomes.ts';
import {
  assignmentChanges,
  personBody,
  personValuesFromForm,
  policyDocument,
  policyFieldErrors,
  policyValues,
} from './admin.ts';
import { DEFAULT_POLICY, policySchema, targetChanges } from '../../domain/policy/policy.ts';
import { fieldProblems } from '../../services/errors.ts';
import { raiseBody, raiseFieldErrors, raiseFormView } from './raise-form.ts';

describe('action forms', () => {
  it('show exactly the actions given, in order, with the pause reasons and departments', () => {
    const forms = actionForms([
      'acknowledge',
      'reassign',
      'request-info',
      'promote',
      'migrate-policy',
    ]);
    expect(forms.map((f) => f.type)).toEqual([
      'acknowledge',
      'reassign',
      'request-info',
      'promote',
      'migrate-policy',
    ]);
    expect(forms[1]!.fields.map((f) => f.name)).toEqual(['to', 'reason']);
    const reason = forms[2]!.fields.find((f) => f.name === 'reason')!;
    expect(reason.items?.map((i) => i.value)).toEqual([
      'awaiting-information',
      'awaiting-third-party',
      'awaiting-decision',
    ]);
    const dept = forms[3]!.fields.find((f) => f.name === 'department')!;
    expect(dept.items).toContainEqual({ value: 'dwp', text: 'Department for Work and Pensions' });
  });

  it('put an error on the field it is about', () => {
    const forms = actionForms(['resolve'], [{ type: 'resolve', field: 'resolution', text: 'x' }]);
    expect(forms[0]!.fields[0]).toMatchObject({ name: 'resolution', error: 'x' });
  });

  it('turn a posted form into the API body: blanks dropped, references upper-cased', () => {
    expect(actionBody({ _csrf: 't', type: 'merge', into: ' gt-0042 ', reason: '' })).toEqual({
      type: 'merge',
      into: 'GT-0042',
    });
    expect(
      actionBody({ type: 'promote', askId: '', askTitle: 'T', department: 'dwp', askText: 'A' }),
    ).toEqual({ type: 'promote', ask: { title: 'T', department: 'dwp', ask: 'A' } });
    expect(actionBody({ type: 'promote', askId: 'ask-0007' })).toEqual({
      type: 'promote',
      askId: 'ASK-0007',
    });
    // A version number becomes a number; anything else is left for the schema to refuse.
    expect(actionBody({ type: 'migrate-policy', policyVersion: ' 2 ' })).toEqual({
      type: 'migrate-policy',
      policyVersion: 2,
    });
    expect(actionBody({ type: 'migrate-policy', policyVersion: 'two' })).toEqual({
      type: 'migrate-policy',
      policyVersion: 'two',
    });
  });

  it('map validation problems back to the form’s field names', () => {
    expect(
      failedFields('promote', [{ field: 'body.ask.title', reason: 'must not be empty' }]),
    ).toEqual([{ type: 'promote', field: 'askTitle', text: 'AskTitle must not be empty' }]);
    expect(doneNotice('acknowledge')).toBe('Barrier acknowledged');
    expect(doneNotice('acknowledge', 'GT-0042')).toBe('GT-0042 acknowledged');
    expect(doneNotice('<script>')).toBeUndefined();
  });
});

describe('barrier list filters', () => {
  it('keep what a form can send and ignore anything else', () => {
    const f = listFilters({
      stage: 'gmca',
      status: 'bogus',
      flags: ['breached', 'x'],
      sort: 'raisedAt',
      page: '3',
    });
    expect(f).toMatchObject({ stage: 'gmca', status: undefined, sort: 'raisedAt', page: 3 });
    expect(listQuery(f)).toMatchObject({ stage: 'gmca', breached: true, atRisk: undefined });
    // The page is asked for apart: the query is the whole list's, as the CSV wants it.
    expect(listQuery(f)).not.toHaveProperty('limit');
    expect(listFilters({}).sort).toBe('nextDeadline');
  });
});

describe('raise form', () => {
  it('posts numbers as numbers and leaves blank optional fields out', () => {
    expect(
      raiseBody({
        title: 't',
        description: 'd',
        locality: 'wigan',
        neighbourhood: 'leigh',
        category: 'funding',
        focusArea: '',
        peopleAffected: ' 120 ',
      }),
    ).toEqual({
      title: 't',
      description: 'd',
      locality: 'wigan',
      neighbourhood: 'leigh',
      category: 'funding',
      peopleAffected: 120,
    });
  });

  it('says what to do, once per field, in the page’s order', () => {
    const errors = raiseFieldErrors([
      { field: 'body.peopleAffected', reason: 'must be a number' },
      { field: 'body.title', reason: 'is required' },
      { field: 'body.title', reason: 'must not be empty' },
    ]);
    expect(errors).toEqual({
      peopleAffected: 'Enter the people affected as a whole number, like 120',
      title: 'Enter a title for the barrier',
    });
    const view = raiseFormView(
      { email: 'l@x', role: 'locality-lead', locality: 'wigan' },
      [
        { _id: 'bolton', name: 'Bolton', neighbourhoods: [] },
        { _id: 'wigan', name: 'Wigan', neighbourhoods: [{ slug: 'leigh', name: 'Leigh' }] },
      ],
      {},
      errors,
    );
    expect(view.errors.map((e) => e.href)).toEqual(['#title', '#peopleAffected']);
    // A lead raises in their own locality only.
    expect(view.localityItems.map((i) => i.value)).toEqual(['wigan']);
  });
});

describe('navigation', () => {
  it('shows GMCA the triage queue and leads the raise page, marking where you are', () => {
    const gmca = navigation({ email: 'g@x', role: 'gmca-triage' }, '/triage', false);
    expect(gmca.map((i) => i.href)).toEqual(['/barriers', '/triage', '/asks', '/dashboard']);
    expect(gmca.find((i) => i.active)?.href).toBe('/triage');
    const lead = navigation({ email: 'l@x', role: 'locality-lead', locality: 'wigan' }, '/', true);
    expect(lead.map((i) => i.href)).toEqual([
      '/barriers',
      '/barriers/new',
      '/asks',
      '/dashboard',
      '/import',
      '/dev/mailbox',
    ]);
    // An import's own page is under the Import item.
    const importing = navigation({ email: 'a@x', role: 'admin' }, '/import/IMP-0001', false);
    expect(importing.find((i) => i.active)?.href).toBe('/import');
    expect(navigation(null, '/', true)).toEqual([]);
  });
});

describe('a barrier page', () => {
  it('flags deadlines after the bank-holiday data ends, and not others', () => {
    const page = (resolveDueAt: number) =>
      barrierPageView(
        {
          ...barrierDocument('w', barrierView('GT-0001', 'o@example.org', { resolveDueAt })),
          projectedAt: new Date(),
        } as never,
        [],
        Date.now(),
      );
    const label = (v: ReturnType<typeof page>) => v.clocks.map((r) => r.key.text);
    expect(label(page(Date.UTC(BANK_HOLIDAYS_LAST_YEAR + 1, 1, 3)))).toContain('Bank holidays');
    expect(label(page(Date.UTC(BANK_HOLIDAYS_LAST_YEAR, 1, 3)))).not.toContain('Bank holidays');
  });
});

describe('administration', () => {
  it('turns the policy form into a document, and its problems into field errors', () => {
    const values = policyValues(DEFAULT_POLICY);
    expect(values.version).toBe('2');
    const doc = policyDocument({
      ...values,
      'stages-locality-resolve': 'P15D',
      warnAt: '0.6, 0.9',
    });
    const parsed = policySchema.parse(doc);
    expect(parsed.stages.locality.resolve).toBe('P15D');
    expect(parsed.warnAt).toEqual([0.6, 0.9]);
    expect(targetChanges(DEFAULT_POLICY, parsed)).toEqual([
      'Resolve target at locality: 10 working days → 15',
      'Warnings at: 50% and 80% → 60% and 90%',
    ]);
    const bad = policySchema.safeParse(
      policyDocument({ ...values, 'stages-gmca-acknowledge': 'soon' }),
    );
    expect(bad.success).toBe(false);
    const errors = policyFieldErrors(fieldProblems('body', bad.error!), false);
    expect(Object.keys(errors)).toEqual(['stages-gmca-acknowledge']);
    // Pasted JSON wins over the fields, and its problems go on the JSON box.
    expect(policyDocument({ ...values, json: '{"id":"x"}' })).toEqual({ id: 'x' });
    expect(policyDocument({ ...values, json: '{' })).toBeUndefined();
    expect(policyFieldErrors([{ field: 'body.version', reason: 'is required' }], true)).toEqual({
      json: 'version is required',
    });
  });

  it('says what routing does instead while someone is away', () => {
    expect(
      assignmentChanges(
        [
          { where: 'Leigh, Wigan', as: 'neighbourhood lead', instead: 'Sam Deputy' },
          { where: 'Wigan', as: 'funding specialist', instead: null },
        ],
        true,
      ),
    ).toEqual([
      'Leigh, Wigan: new barriers for the neighbourhood lead go to Sam Deputy instead',
      'Wigan: there is no one else named as funding specialist; new barriers go up to the locality leads',
    ]);
  });

  it('reads repeated checkboxes and builds a directory entry from the person form', () => {
    const v = personValuesFromForm({
      email: ' New.Lead@Example.org ',
      name: 'New Lead',
      roles: ['locality-lead', 'neighbourhood-lead'],
      locality: 'wigan',
      neighbourhood: 'leigh',
      kind: 'person',
      clientId: 'ignored',
    });
    expect(v.email).toBe('new.lead@example.org');
    expect(personBody(v)).toEqual({
      name: 'New Lead',
      roles: ['locality-lead', 'neighbourhood-lead'],
      locality: 'wigan',
      neighbourhood: 'leigh',
      available: true,
      kind: 'person',
      clientId: null,
    });
    expect(personValuesFromForm({ roles: 'admin' }).roles).toEqual(['admin']);
  });

  it('offers Administration to admins only', () => {
    const admin = { email: 'a@example.org', role: 'admin' as const };
    const lead = { email: 'l@example.org', role: 'locality-lead' as const, locality: 'wigan' };
    expect(navigation(admin, '/admin/people', false).at(-1)).toEqual({
      href: '/admin',
      text: 'Administration',
      active: true,
    });
    expect(navigation(lead, '/barriers', false).map((i) => i.text)).not.toContain('Administration');
  });
});

describe('the dashboard', () => {
  const noStanding = { ...standingFigures(totalsOf([], [])), asksByOutcome: asksByOutcome([]) };

  it('shows open barriers by locality and stage, the median time to resolve in words, and asks by outcome', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const wigan = { locality: 'wigan', category: 'funding' };
    const totals = totalsOf(
      [
        { ...wigan, status: 'open', stage: 'gmca' },
        { ...wigan, status: 'open', stage: 'neighbourhood' },
        { ...wigan, status: 'resolved', stage: 'locality', resolvedInMs: WORKING_DAY_MS },
      ],
      [],
    );
    const view = dashboardView(dashboardFigures(totals, now), now, {
      ...standingFigures(totals),
      asksByOutcome: asksByOutcome([{ status: 'answered', outcome: 'partially-agreed' }]),
    });
    const table = (id: string) => {
      const c = view.charts.find((x) => x.id === id)!;
      return [c.head, ...c.rows.map((r) => r.map((x) => x.text))];
    };
    const open = table('open-by-locality');
    expect(open[0]).toEqual([
      'Locality',
      'Neighbourhood',
      'Locality',
      'GMCA',
      'Whitehall',
      'All stages',
    ]);
    expect(open).toHaveLength(11);
    expect(open).toContainEqual(['Wigan', '1', '0', '1', '0', '2']);
    expect(table('time-to-resolve')).toEqual([
      ['Stage resolved at', 'Median time to resolve', 'Resolved'],
      ['Neighbourhood', NO_DATA, '0'],
      ['Locality', '1 working day', '1'],
      ['GMCA', NO_DATA, '0'],
      ['Whitehall', NO_DATA, '0'],
    ]);
    // Counted from a histogram: the page says to what precision.
    expect(view.charts.find((c) => c.id === 'time-to-resolve')!.explain).toContain(
      'a median may be up to an hour short',
    );
    expect(table('ask-outcomes')).toContainEqual(['Partially agreed', '1']);
    expect(table('ask-outcomes')).toContainEqual(['Awaiting an answer', '0']);
    expect(chartCsv(view.charts.find((c) => c.id === 'open-by-locality')!).header).toHaveLength(6);
  });

  it('says "No data yet" for a share of nothing, not 0 %, in the chart, the table and its CSV', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const view = dashboardView(
      dashboardFigures(
        totalsOf(
          [
            {
              status: 'closed',
              locality: 'wigan',
              category: 'funding',
              stage: 'locality',
              everBreached: true,
            },
          ],
          [
            { type: 'routed', stage: 'neighbourhood', at: now - 2000 },
            { type: 'breached', stage: 'neighbourhood', at: now - 1000 },
          ],
        ),
        now,
      ),
      now,
      noStanding,
    );
    const byStage = view.charts.find((c) => c.id === 'by-stage')!;
    expect(byStage.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['Neighbourhood', '0%', '1'],
      ['Locality', NO_DATA, '0'],
      ['GMCA', NO_DATA, '0'],
    ]);
    expect(byStage.svg).toContain('No data yet');
    expect(chartCsv(byStage)).toEqual({
      header: ['Stage', 'Within target', 'Out of'],
      rows: [
        ['Neighbourhood', '0%', '1'],
        ['Locality', 'No data yet', '0'],
        ['GMCA', 'No data yet', '0'],
      ],
    });
  });
});

describe('the triage page', () => {
  /** A page holding one breached barrier with one named duplicate of `count`. */
  const onePage = (count: number, total: number, nextCursor: string | null) =>
    triageView(
      {
        entries: [
          {
            barrier: {
              _id: 'GT-0001',
              title: 'T',
              locality: 'wigan',
              category: 'funding',
              peopleAffected: null,
              breached: true,
              nextDeadlineAt: null,
              sla: { calendar: '24x7' },
            },
            localitiesSharing: 1,
            likelyDuplicates: [{ id: 'GT-0002', similarity: 0.8, stage: 'gmca' }],
            likelyDuplicateCount: count,
          } as unknown as TriageEntry,
        ],
        total,
        nextCursor,
      },
      0,
    );

  it('shows each barrier’s likely duplicates (the page has no other way to them)', () => {
    const view = onePage(1, 1, null);
    expect(view.tables[0]!.head).toContain('Likely duplicates');
    expect(view.tables[0]!.caption).toBe('1 escalated barrier');
    expect(view.tables[0]!.rows[0]!.map((c) => c.text)).toContain('GT-0002');
    expect(view.links).toEqual([]);
    expect(view.nextPage).toBeNull();
  });

  it('says how many more duplicates there are and links to the next page of a long queue', () => {
    const view = onePage(4, 60, 'abc');
    expect(view.tables[0]!.caption).toBe('60 escalated barriers (1 on this page)');
    expect(view.tables[0]!.rows[0]!.map((c) => c.text)).toContain('GT-0002, and 3 more');
    expect(view.nextPage).toBe('/triage?cursor=abc');
  });
});
