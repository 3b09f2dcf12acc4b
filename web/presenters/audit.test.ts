import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy/policy.ts';
import type { AuditView } from '../../services/audit.ts';
import { auditEntryView, withDateInputs } from './audit.ts';

const entry = (e: Partial<AuditView>): AuditView => ({
  at: '2026-12-07T10:51:00.000Z',
  actor: 'admin@example.org',
  action: 'person.updated',
  target: 'person:x@example.org',
  before: null,
  after: null,
  via: 'pages',
  ...e,
});

const names = new Map([
  ['ben.jones@example.org', 'Ben Jones'],
  ['dana.shah@example.org', 'Dana Shah'],
  ['admin@example.org', 'Ada Admin'],
]);

describe('the audit log in words', () => {
  it('says who now holds a neighbourhood post, by name', () => {
    const v = auditEntryView(
      entry({
        action: 'neighbourhood.assignments-changed',
        target: 'neighbourhood:wigan/leigh',
        before: { lead: 'ben.jones@example.org', deputy: null },
        after: { lead: 'dana.shah@example.org', deputy: null },
      }),
      { names },
    );
    expect(v.changes).toEqual(["Leigh's neighbourhood lead: Ben Jones → Dana Shah"]);
    expect(v.target).toBe('Leigh, Wigan');
    expect(v.who).toBe('Ada Admin');
    expect(v.when).toBe('7 December 2026 at 10:51am');
    expect(v.what).toBe('Neighbourhood lead or deputy changed');
  });

  it('says what a new policy version changed, from the version before it', () => {
    const next: Policy = {
      ...DEFAULT_POLICY,
      version: 2,
      stages: { ...DEFAULT_POLICY.stages, gmca: { acknowledge: 'P1D', resolve: 'P15D' } },
    };
    const previous: Policy = {
      ...DEFAULT_POLICY,
      stages: { ...DEFAULT_POLICY.stages, gmca: { acknowledge: 'P1D', resolve: 'P20D' } },
    };
    const v = auditEntryView(
      entry({
        action: 'policy.added',
        target: 'policy:default@2',
        before: { version: 1 },
        after: next,
      }),
      { policies: new Map([['default@1', previous]]) },
    );
    expect(v.changes).toEqual([
      'Version 2 added, after version 1',
      'Resolve target at GMCA: 20 working days → 15',
    ]);
    expect(v.target).toBe('Default policy, version 2');
  });

  it('says which fields of a person changed, with roles and places as people say them', () => {
    const v = auditEntryView(
      entry({
        before: { name: 'Ben Jones', roles: ['locality-lead'], locality: 'wigan', available: true },
        after: {
          name: 'Ben Jones',
          roles: ['locality-lead', 'admin'],
          locality: 'bolton',
          available: true,
        },
      }),
    );
    expect(v.changes).toEqual([
      'Roles: locality lead → locality lead and administrator',
      'Locality: Wigan → Bolton',
    ]);
  });

  it('keeps the full record as field and value lines, never JSON', () => {
    const v = auditEntryView(
      entry({
        before: null,
        after: { email: 'x@example.org', roles: ['admin'], available: false },
      }),
    );
    expect(v.before).toEqual([]);
    expect(v.after).toEqual([
      { key: 'Email', value: 'x@example.org' },
      { key: 'Roles', value: 'admin' },
      { key: 'Available', value: 'no' },
    ]);
    expect(JSON.stringify(v)).not.toMatch(/\\"|\{\\"/);
  });
});

describe('the audit filter dates', () => {
  it('joins a GOV.UK date input into the day the filter reads', () => {
    expect(
      withDateInputs({ 'from-day': '7', 'from-month': '12', 'from-year': '2026' }),
    ).toMatchObject({
      from: '2026-12-07',
    });
    expect(withDateInputs({ 'to-day': '', 'to-month': '', 'to-year': '' })).not.toHaveProperty(
      'to',
    );
    expect(withDateInputs({ 'to-day': '31', 'to-month': '2', 'to-year': '2026' }).to).toBe(
      '2026-02-31',
    );
  });
});
