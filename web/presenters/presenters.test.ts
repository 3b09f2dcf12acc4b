import { describe, expect, it } from 'vitest';
import { barrierDocument } from '../../activities/projection.ts';
import { BANK_HOLIDAYS_LAST_YEAR } from '../../domain/calendar/working-time.ts';
import { barrierView } from '../../test/support/views.ts';
import { barrierPageView } from './barrier-page.ts';
import { actionBody, actionForms, doneNotice, failedFields } from './barrier-actions.ts';
import { listFilters, listQuery } from './barrier-list.ts';
import { navigation } from './navigation.ts';
import { raiseBody, raiseFieldErrors, raiseFormView } from './raise-form.ts';

describe('action forms', () => {
  it('show exactly the actions given, in order, with the pause reasons and departments', () => {
    const forms = actionForms(['acknowledge', 'reassign', 'request-info', 'promote']);
    // reassign has no page form yet: it is left out, not shown broken.
    expect(forms.map((f) => f.type)).toEqual(['acknowledge', 'request-info', 'promote']);
    const reason = forms[1]!.fields.find((f) => f.name === 'reason')!;
    expect(reason.items?.map((i) => i.value)).toEqual([
      'awaiting-information',
      'awaiting-third-party',
      'awaiting-decision',
    ]);
    const dept = forms[2]!.fields.find((f) => f.name === 'department')!;
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
  });

  it('map validation problems back to the form’s field names', () => {
    expect(
      failedFields('promote', [{ field: 'body.ask.title', reason: 'must not be empty' }]),
    ).toEqual([{ type: 'promote', field: 'askTitle', text: 'AskTitle must not be empty' }]);
    expect(doneNotice('acknowledge')).toBe('Done: acknowledge.');
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
    });
    expect(f).toMatchObject({ stage: 'gmca', status: undefined, sort: 'raisedAt' });
    expect(listQuery(f)).toMatchObject({
      stage: 'gmca',
      breached: true,
      atRisk: undefined,
      limit: 50,
    });
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
      '/dev/mailbox',
    ]);
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
