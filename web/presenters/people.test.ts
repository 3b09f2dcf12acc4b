import { describe, expect, it } from 'vitest';
import {
  peopleFilterView,
  peopleHref,
  peopleListView,
  peopleValues,
  personHoldsView,
} from './people.ts';
import { auditPagesView } from './audit.ts';

const person = (n: number) => ({
  email: `p${n}@example.org`,
  name: `Person ${n}`,
  roles: ['locality-lead'],
  locality: 'wigan',
  neighbourhood: null,
  available: n % 2 === 0,
  kind: 'person',
  clientId: null,
});

describe('the people list', () => {
  it('keeps the filters given, trimmed, dropping empty ones and anything else', () => {
    expect(peopleValues({ q: ' walsh ', role: '', locality: 'wigan', page: '2', x: 'y' })).toEqual({
      q: 'walsh',
      locality: 'wigan',
    });
  });

  it('links to a page with the filters, the first page without a number', () => {
    expect(peopleHref({ q: 'leah walsh', role: 'admin' }, 3)).toBe(
      '/admin/people?q=leah+walsh&role=admin&page=3',
    );
    expect(peopleHref({}, 1)).toBe('/admin/people');
  });

  it('shows each chosen filter as a tag that removes only it, in words', () => {
    const view = peopleFilterView({
      q: 'walsh',
      role: 'locality-lead',
      locality: 'wigan',
      away: 'yes',
    });
    expect(view.selectedFilters?.categories.map((c) => c.items[0])).toEqual([
      { text: '“walsh”', href: '/admin/people?role=locality-lead&locality=wigan&away=yes' },
      { text: 'Locality lead', href: '/admin/people?q=walsh&locality=wigan&away=yes' },
      { text: 'Wigan', href: '/admin/people?q=walsh&role=locality-lead&away=yes' },
      { text: 'Away', href: '/admin/people?q=walsh&role=locality-lead&locality=wigan' },
    ]);
    expect(view.roleItems).toContainEqual(
      expect.objectContaining({ value: 'locality-lead', selected: true }),
    );
    expect(peopleFilterView({}).selectedFilters).toBeUndefined();
  });

  it('says which people of how many a page shows, with GOV.UK pagination', () => {
    const view = peopleListView(
      { items: [person(26), person(27)], total: 60, number: 2, size: 25 },
      { role: 'admin' },
      { role: 'admin' },
    );
    expect(view.showing).toBe('Showing 26 to 50 of 60 people');
    expect(view.pagination?.previous?.href).toBe('/admin/people?role=admin');
    expect(view.pagination?.next?.href).toBe('/admin/people?role=admin&page=3');
    expect(view.rows).toHaveLength(2);
    const one = peopleListView({ items: [person(1)], total: 1, number: 1, size: 25 }, {}, {});
    expect([one.showing, one.pagination]).toEqual(['1 person', null]);
    expect(
      peopleListView({ items: [], total: 0, number: 1, size: 25 }, { q: 'z' }, { q: 'z' }).empty,
    ).toMatch(/No one matches/);
  });
});

describe('what someone holds', () => {
  it('lists their posts and the open barriers they own, the most urgent first', () => {
    const view = personHoldsView(
      [
        { where: 'Leigh, Wigan', as: 'neighbourhood lead' },
        { where: 'Wigan', as: 'funding specialist' },
      ],
      {
        total: 12,
        items: [
          {
            id: 'b1',
            reference: 'GT-1',
            title: 'Pooled budgets',
            stage: 'gmca',
            nextDeadlineAt: null,
            breached: true,
          },
          {
            id: 'b2',
            reference: 'GT-2',
            title: 'Consent rules',
            stage: 'neighbourhood',
            nextDeadlineAt: '2026-12-09T12:00:00.000Z',
            breached: false,
          },
        ],
      },
      Date.parse('2026-12-07T10:00:00Z'),
    );
    expect(view.posts).toEqual(['Neighbourhood lead, Leigh, Wigan', 'Funding specialist, Wigan']);
    expect(view.openBarriers.summary).toBe('They own 12 open barriers; the 2 most urgent:');
    expect(view.openBarriers.items).toEqual([
      { href: '/barriers/b1', text: 'GT-1: Pooled budgets', detail: 'GMCA stage, overdue' },
      {
        href: '/barriers/b2',
        text: 'GT-2: Consent rules',
        detail: expect.stringMatching(/^Neighbourhood stage, next due .*9 December.* at midday$/),
      },
    ]);
    expect(personHoldsView([], { total: 0, items: [] }).openBarriers.summary).toBe(
      'They own no open barriers.',
    );
  });
});

describe('the audit log’s pages', () => {
  it('keep the filters in every link and say which entries of how many, newest first', () => {
    const view = auditPagesView(
      { items: [], total: 30, number: 1, size: 25 },
      'actor=a%40example.org',
    );
    expect(view.showing).toBe('Showing 1 to 25 of 30 entries, newest first');
    expect(view.pagination?.next?.href).toBe('/admin/audit?actor=a%40example.org&page=2');
    expect(auditPagesView({ items: [], total: 1, number: 1, size: 25 }, '').showing).toBe(
      '1 entry, newest first',
    );
  });
});
