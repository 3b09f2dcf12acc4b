import { describe, expect, it } from 'vitest';
import { auditQuery, auditReferences, type AuditView } from './audit.ts';
import { peopleFilterSchema, peopleQuery } from './directory.ts';
import { pageWithin } from '../domain/numbered-page.ts';

describe('the people search', () => {
  it('finds every word in the name or the email, case-insensitively and literally', () => {
    expect(peopleQuery(peopleFilterSchema.parse({ q: ' Walsh  leah.w ' }))).toEqual({
      $and: [
        {
          $or: [
            { name: { $regex: 'Walsh', $options: 'i' } },
            { _id: { $regex: 'Walsh', $options: 'i' } },
          ],
        },
        {
          $or: [
            { name: { $regex: 'leah\\.w', $options: 'i' } },
            { _id: { $regex: 'leah\\.w', $options: 'i' } },
          ],
        },
      ],
    });
  });

  it('narrows by role, locality and away, and asks nothing of an empty filter', () => {
    expect(peopleQuery({})).toEqual({});
    expect(peopleQuery({ role: 'admin', locality: 'wigan', away: 'yes' })).toEqual({
      $and: [{ roles: 'admin' }, { locality: 'wigan' }, { available: false }],
    });
  });

  it('refuses a role or locality that is not one', () => {
    const bad = peopleFilterSchema.safeParse({ role: 'king', locality: 'atlantis' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0])).toEqual(['role', 'locality']);
  });
});

describe('numbered pages', () => {
  it('gives the page asked for, the first for nonsense, the last past the end', () => {
    expect(pageWithin(2, 60, 25)).toBe(2);
    expect(pageWithin(0, 60, 25)).toBe(1);
    expect(pageWithin(Number.NaN, 60, 25)).toBe(1);
    expect(pageWithin(9, 60, 25)).toBe(3);
    expect(pageWithin(4, 0, 25)).toBe(1);
  });
});

describe('the audit filters', () => {
  it('match the target by prefix, literally, and the dates as whole days', () => {
    expect(
      auditQuery({
        actor: 'a@example.org',
        target: 'policy:x@1',
        from: '2026-11-01',
        to: '2026-11-30',
      }),
    ).toEqual({
      actor: 'a@example.org',
      target: { $regex: '^policy:x@1' },
      at: { $gte: new Date('2026-11-01T00:00:00Z'), $lt: new Date('2026-12-01T00:00:00Z') },
    });
    expect(auditQuery({ target: 'a.b' })).toEqual({ target: { $regex: '^a\\.b' } });
  });
});

const entry = (e: Partial<AuditView>): AuditView => ({
  at: '2026-12-07T10:51:00.000Z',
  actor: 'ada@example.org',
  action: 'person.updated',
  target: 'person:x@example.org',
  before: null,
  after: null,
  via: 'pages',
  ...e,
});

describe('what audit entries name', () => {
  it('gathers everyone: actors, people targeted, and anyone in before and after', () => {
    const { emails } = auditReferences([
      entry({}),
      entry({
        action: 'neighbourhood.assignments-changed',
        target: 'neighbourhood:wigan/leigh',
        before: { lead: 'Ben.Jones@example.org', deputy: null },
        after: { lead: 'dana.shah@example.org', deputy: null },
      }),
      entry({
        action: 'locality.assignments-changed',
        target: 'locality:wigan',
        after: {
          leads: ['lee@example.org'],
          specialists: [{ category: 'funding', email: 'fay@example.org' }],
        },
      }),
      entry({ action: 'import.started', after: { file: 'log.csv', rows: 3 } }),
    ]);
    expect(emails.sort()).toEqual([
      'ada@example.org',
      'ben.jones@example.org',
      'dana.shah@example.org',
      'fay@example.org',
      'lee@example.org',
      'x@example.org',
    ]);
  });

  it('asks for the policy version a new version followed, and none for a first version', () => {
    const { policies } = auditReferences([
      entry({
        action: 'policy.added',
        target: 'policy:gm-default@3',
        before: { version: 2 },
        after: { version: 3 },
      }),
      entry({ action: 'policy.added', target: 'policy:urgent@1', after: { version: 1 } }),
    ]);
    expect(policies).toEqual(['gm-default@2']);
  });
});
