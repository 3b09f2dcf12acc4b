import { describe, expect, it } from 'vitest';
import { durationMs } from '../calendar/duration.ts';
import { addWorkingTime } from '../calendar/working-time.ts';
import { DEFAULT_POLICY, policySchema } from './policy.ts';

const withResolve = (resolve: string) => ({
  ...DEFAULT_POLICY,
  stages: { ...DEFAULT_POLICY.stages, gmca: { acknowledge: 'P2D', resolve } },
});

describe('policy targets', () => {
  it('refuse a duration beyond five years, which the calendar could not compute for every barrier', () => {
    const refused = policySchema.safeParse(withResolve('P16891430D'));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({
      path: ['stages', 'gmca', 'resolve'],
      message: 'must be at most 260 weeks (five years) in either calendar',
    });
    expect(policySchema.safeParse(withResolve('P261W')).success).toBe(false);
    // 1,820 days is five years of clock time but seven of working days: refused.
    expect(policySchema.safeParse(withResolve('P1820D')).success).toBe(false);
  });

  it('accept five years, and a deadline that far away is computed in both calendars', () => {
    for (const target of ['P260W', 'P1300D', 'PT10400H']) {
      expect(policySchema.safeParse(withResolve(target)).success, target).toBe(true);
    }
    const start = Date.parse('2026-11-30T09:00:00Z');
    for (const calendar of ['24x7', 'working-hours-england-and-wales'] as const) {
      const due = addWorkingTime(calendar, start, durationMs('P260W', calendar));
      expect(due).toBeGreaterThan(start);
    }
  });
});
