/**
 * The whole ladder under the real default policy, on the time-skipping server:
 * warnings and breaches land at the right working-time instants across a
 * bank-holiday long weekend, and paused time never counts.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bankHolidays from '../../domain/calendar/bank-holidays.json' with { type: 'json' };
import { londonWallClock, londonDate, addDays } from '../../domain/calendar/london-time.ts';
import { DEFAULT_POLICY } from '../../domain/policy/policy.ts';
import { barrierWorkflow } from '../../workflows/barrier/barrier-workflow.ts';
import {
  awaitRoutedUpdate,
  barrierActionUpdate,
  barrierStateQuery,
} from '../../workflows/barrier/definitions.ts';
import { buildSeedDirectory } from '../../store/seed/directory-data.ts';
import type { TestStack } from '../support/stack.ts';
import { openTimeSkippingStack } from '../support/time-skipping.ts';

const dir = buildSeedDirectory();
const wigan = dir.localities.find((l) => l._id === 'wigan')!;
const leigh = wigan.neighbourhoods.find((n) => n.slug === 'leigh')!;
const gmcaTriage = dir.people
  .filter((p) => p.roles.includes('gmca-triage'))
  .map((p) => p.email)
  .sort();
const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let stack: TestStack;
let close: (() => Promise<void>) | undefined;
const taskQueue = 'ladder';

const isHoliday = (d: { year: number; month: number; day: number }) =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}` in
  bankHolidays.holidays;

/**
 * The first Monday bank holiday at least two weeks ahead whose Friday before and
 * following eight weekdays are ordinary working days: a clean Sat–Sun–Mon long weekend.
 */
function nextMondayBankHoliday(after: number) {
  for (const iso of Object.keys(bankHolidays.holidays).sort()) {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    const date = londonDate(Date.UTC(y, m - 1, d, 12));
    if (date.weekday !== 1 || Date.UTC(y, m - 1, d) <= after + 14 * 24 * HOUR) continue;
    const around = [-3, 1, 2, 3, 4, 7, 8, 9].map((n) => addDays(date, n));
    if (!around.some(isHoliday)) return date;
  }
  throw new Error('no Monday bank holiday left in the shipped data');
}

beforeAll(async () => {
  ({ env, stack, close } = await openTimeSkippingStack('ladder', taskQueue));
});
afterAll(async () => {
  await close?.();
});

function input(id: string) {
  return {
    version: 1 as const,
    id,
    reference: id,
    raisedBy: wigan.leads[0]!,
    policy: DEFAULT_POLICY,
    details: {
      title: 'Pooled budget for rough sleeping blocked by ring-fence',
      description: 'd',
      locality: 'wigan' as const,
      neighbourhood: 'leigh',
      category: 'funding' as const,
      evidence: [],
    },
  };
}

async function timeline(id: string) {
  return stack.store.models.TimelineEvent.find({ barrierId: id }).sort({ seq: 1 }).lean();
}

/** Instants match to within the test harness's own latency between calls. */
function expectInstant(actual: number | null | undefined, expected: number) {
  expect(actual).not.toBeNull();
  expect(
    Math.abs((actual ?? 0) - expected),
    `${new Date(actual ?? 0).toISOString()} vs ${new Date(expected).toISOString()}`,
  ).toBeLessThan(2_000);
}

describe('barrierWorkflow under the default policy (time-skipping)', () => {
  it('climbs neighbourhood → locality → gmca at working-time instants across a bank-holiday weekend', async () => {
    const holiday = nextMondayBankHoliday(await env.currentTimeMs());
    const day = (n: number) => addDays(holiday, n);
    const [friday, tuesday, wednesday, thursday, nextFriday] = [
      day(-3),
      day(1),
      day(2),
      day(3),
      day(4),
    ];
    await env.sleep(londonWallClock(friday, 12) - (await env.currentTimeMs()));

    const handle = await env.client.workflow.start(barrierWorkflow, {
      taskQueue,
      workflowId: 'barrier-GT-1001',
      args: [input('GT-1001')],
    });
    const first = await handle.executeUpdate(awaitRoutedUpdate);
    expect(first.owner?.email).toBe(leigh.lead);
    // Acknowledge within 1 working day (8 h): 5 h on Friday, none on the weekend or the
    // bank holiday, 3 h on Tuesday → due Tuesday 12:00 London.
    expectInstant(first.sla.acknowledgeDueAt, londonWallClock(tuesday, 12));

    // Thursday 09:30: the neighbourhood breach escalated to the locality, and the
    // locality's acknowledge target (Wednesday 12:00) breached too → gmca.
    await env.sleep(londonWallClock(thursday, 9, 30) - (await env.currentTimeMs()));
    const atGmca = await handle.query(barrierStateQuery);
    expect(atGmca.stage).toBe('gmca');
    expect(gmcaTriage).toContain(atGmca.owner?.email);

    const events = await timeline('GT-1001');
    const at = (type: string, stage: string) =>
      events.filter((e) => e.type === type && e.stage === stage).map((e) => e.at.getTime());
    const warnings = at('warning', 'neighbourhood');
    expectInstant(warnings[0], londonWallClock(friday, 16)); // 50 % of 8 h
    expectInstant(warnings[1], londonWallClock(tuesday, 10, 24)); // 80 %: 6 h 24 min of working time
    expect(at('breached', 'neighbourhood')).toHaveLength(1);
    expectInstant(at('breached', 'neighbourhood')[0], londonWallClock(tuesday, 12));
    expect(at('escalated', 'locality')).toHaveLength(1);
    expect(
      events.find((e) => e.type === 'routed' && e.stage === 'locality')?.details,
    ).toMatchObject({
      owner: { email: wigan.leads[0] },
      reason: 'locality-lead',
    });
    expectInstant(at('breached', 'locality')[0], londonWallClock(wednesday, 12));
    // Nothing ever fired on the weekend or the bank holiday.
    for (const e of events)
      expect([day(-2), day(-1), holiday].map((d) => `${d.year}-${d.month}-${d.day}`)).not.toContain(
        ((d) => `${d.year}-${d.month}-${d.day}`)(londonDate(e.at.getTime())),
      );

    // At gmca a breach re-notifies but never promotes: 2 working days → next Friday 12:00.
    await env.sleep(londonWallClock(day(7), 12) - (await env.currentTimeMs()));
    const later = await handle.query(barrierStateQuery);
    expect(later.stage).toBe('gmca');
    const after = await timeline('GT-1001');
    const gmcaBreaches = after
      .filter((e) => e.type === 'breached' && e.stage === 'gmca')
      .map((e) => e.at.getTime());
    expectInstant(gmcaBreaches[0], londonWallClock(nextFriday, 12));
    expect(after.some((e) => e.type === 'escalated' && e.stage === 'whitehall')).toBe(false);
  });

  it('does not count paused working time', async () => {
    const start = await env.currentTimeMs();
    let monday = londonDate(start + 7 * 24 * HOUR);
    const span = Array.from({ length: 16 }, (_, n) => n);
    while (monday.weekday !== 1 || span.some((n) => isHoliday(addDays(monday, n))))
      monday = addDays(monday, 1);
    await env.sleep(londonWallClock(monday, 12) - start);
    const handle = await env.client.workflow.start(barrierWorkflow, {
      taskQueue,
      workflowId: 'barrier-GT-1002',
      args: [input('GT-1002')],
    });
    const v0 = await handle.executeUpdate(awaitRoutedUpdate);
    // Resolve within 10 working days (80 h): 5 h Monday, 9 full days, 3 h → Monday two weeks on, 12:00.
    expectInstant(v0.sla.resolveDueAt, londonWallClock(addDays(monday, 14), 12));
    const actor = {
      email: leigh.lead,
      role: 'neighbourhood-lead' as const,
      locality: 'wigan',
      neighbourhood: 'leigh',
    };
    await handle.executeUpdate(barrierActionUpdate, {
      args: [{ command: { type: 'acknowledge' }, actor }],
    });

    await env.sleep(londonWallClock(monday, 14) - (await env.currentTimeMs()));
    await handle.executeUpdate(barrierActionUpdate, {
      args: [
        {
          command: {
            type: 'request-info',
            reason: 'awaiting-third-party',
            question: 'What does the ICB say?',
          },
          actor,
        },
      ],
    });
    const paused = await handle.query(barrierStateQuery);
    expect(paused.sla).toMatchObject({
      paused: true,
      pauseReason: 'awaiting-third-party',
      resolveDueAt: null,
    });

    await env.sleep(londonWallClock(addDays(monday, 1), 14) - (await env.currentTimeMs()));
    const resumed = await handle.executeUpdate(barrierActionUpdate, {
      args: [{ command: { type: 'provide-info', response: 'Agreed.' }, actor }],
    });
    expect(resumed.sla.paused).toBe(false);
    // 8 working hours were paused, so the due instant moved one working day later.
    expectInstant(resumed.sla.resolveDueAt, londonWallClock(addDays(monday, 15), 12));
    expect(resumed.stage).toBe('neighbourhood');
    const types = (await timeline('GT-1002')).map((e) => e.type);
    expect(types).toEqual(['raised', 'routed', 'acknowledged', 'info-requested', 'info-provided']);
  });
});
