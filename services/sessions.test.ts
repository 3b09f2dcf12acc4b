import { describe, expect, it } from 'vitest';
import type { SessionDoc } from '../store/models.ts';
import { sessionEnded } from './sessions.ts';

const o = { secret: 's', secure: false, idleMinutes: 30, maxHours: 8 };
const at = (iso: string) => new Date(iso);
const session = (s: Partial<SessionDoc>): SessionDoc =>
  ({
    email: 'a@example.org',
    via: 'oidc',
    createdAt: at('2026-11-30T09:00:00Z'),
    lastSeenAt: at('2026-11-30T09:00:00Z'),
    revokedAt: null,
    ...s,
  }) as SessionDoc;

describe('sessions end', () => {
  it('when unused longer than the idle limit', () => {
    expect(sessionEnded(session({}), Date.parse('2026-11-30T09:29:59Z'), o)).toBeUndefined();
    expect(sessionEnded(session({}), Date.parse('2026-11-30T09:30:01Z'), o)).toBe('idle');
  });

  it('at the absolute limit, however busy', () => {
    const busy = session({ lastSeenAt: at('2026-11-30T16:59:00Z') });
    expect(sessionEnded(busy, Date.parse('2026-11-30T16:59:59Z'), o)).toBeUndefined();
    expect(sessionEnded(busy, Date.parse('2026-11-30T17:00:01Z'), o)).toBe('expired');
  });

  it('when revoked (signed out, or access removed)', () => {
    expect(
      sessionEnded(
        session({ revokedAt: at('2026-11-30T09:01:00Z') }),
        Date.parse('2026-11-30T09:02:00Z'),
        o,
      ),
    ).toBe('revoked');
  });
});
