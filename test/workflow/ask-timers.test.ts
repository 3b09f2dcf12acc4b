/**
 * Whitehall asks on the time-skipping server: a response due date counted in
 * working days across Christmas and New Year, chasers on the policy's cadence
 * then `no-response`, and an outcome that reaches every bundled barrier.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bankHolidays from '../../domain/calendar/bank-holidays.json' with { type: 'json' };
import {
  addDays,
  londonDate,
  londonWallClock,
  type LondonDate,
} from '../../domain/calendar/london-time.ts';
import { DEFAULT_POLICY } from '../../domain/policy/policy.ts';
import { barrierActionUpdate, barrierStateQuery } from '../../workflows/barrier/definitions.ts';
import { startRoutedBarrier, testBarrierId } from '../support/barriers.ts';
import { askWorkflow } from '../../workflows/ask/ask-workflow.ts';
import { askActionUpdate, askReadyUpdate } from '../../workflows/ask/definitions.ts';
import type { Actor } from '../../domain/barrier/types.ts';
import { gmcaTriage, localityLead } from '../support/people.ts';
import type { TestStack } from '../support/stack.ts';
import { openTimeSkippingStack } from '../support/time-skipping.ts';
import { barrierWorkflowId } from '../../workflows/barrier/definitions.ts';
import { askWorkflowId } from '../../workflows/ask/definitions.ts';

let env: TestWorkflowEnvironment;
let stack: TestStack;
let close: (() => Promise<void>) | undefined;
const taskQueue = 'asks';
const gmca: Actor = { email: gmcaTriage().sub, role: 'gmca-triage' };

beforeAll(async () => {
  ({ env, stack, close } = await openTimeSkippingStack('asks-ts', taskQueue));
});
afterAll(async () => {
  await close?.();
});

const iso = (d: Pick<LondonDate, 'year' | 'month' | 'day'>) =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const working = (d: LondonDate) =>
  d.weekday >= 1 && d.weekday <= 5 && !(iso(d) in bankHolidays.holidays);

/** The same wall-clock time `n` working days after a working day, by walking the calendar. */
function workingDaysAfter(d: LondonDate, n: number): LondonDate {
  let day = d;
  for (let left = n; left > 0;) {
    day = addDays(day, 1);
    if (working(day)) left -= 1;
  }
  return day;
}

/** A barrier walked up to gmca by hand, ready to go into an ask. */
async function barrierAtGmca(): Promise<string> {
  const id = testBarrierId('A');
  const { handle } = await startRoutedBarrier(env.client, taskQueue, {
    id,
    raisedBy: localityLead('wigan').sub,
    policy: DEFAULT_POLICY,
    details: {
      title: 'Benefit rules stop a joint employment support offer',
      category: 'regulation',
    },
  });
  const admin: Actor = { email: 'admin@example.org', role: 'admin' };
  for (let i = 0; i < 2; i++)
    await handle.executeUpdate(barrierActionUpdate, {
      args: [{ command: { type: 'escalate', reason: 'needs GM' }, actor: admin }],
    });
  return id;
}

async function askWith(barrierIds: string[], n: number) {
  const id = `ASK-9${String(Date.now()).slice(-6)}${n}`;
  const handle = await env.client.workflow.start(askWorkflow, {
    taskQueue,
    workflowId: askWorkflowId(id),
    args: [
      {
        version: 1,
        id,
        reference: id,
        title: 'Flex the benefit rules for joint support',
        department: 'dwp',
        ask: 'Allow a pilot.',
        createdBy: gmca.email,
        owner: { email: gmca.email, name: 'GMCA' },
        barrierIds,
        policy: DEFAULT_POLICY,
      },
    ],
  });
  await handle.executeUpdate(askReadyUpdate);
  for (const b of barrierIds)
    await env.client.workflow.getHandle(barrierWorkflowId(b)).executeUpdate(barrierActionUpdate, {
      args: [{ command: { type: 'promote', askId: id }, actor: gmca }],
    });
  return handle;
}

describe('askWorkflow', () => {
  it('counts the response due date in working days across Christmas, chases, then records no-response', async () => {
    const barriers = [await barrierAtGmca(), await barrierAtGmca()];
    const handle = await askWith(barriers, 1);

    // Submit on the Friday before Christmas, 10:00 London.
    const now = await env.currentTimeMs();
    let year = londonDate(now).year;
    if (now > londonWallClock({ year, month: 12, day: 10 }, 10)) year += 1;
    let friday = londonDate(londonWallClock({ year, month: 12, day: 24 }, 12));
    while (friday.weekday !== 5 || !working(friday)) friday = addDays(friday, -1);
    await env.sleep(londonWallClock(friday, 10) - now);
    const submitted = await handle.executeUpdate(askActionUpdate, {
      args: [{ command: { type: 'submit' }, actor: gmca }],
    });

    // 20 working days: weekends, Christmas, Boxing Day (or its substitute) and New Year skipped.
    const due = workingDaysAfter(friday, 20);
    expect(Math.abs(submitted.dueAt! - londonWallClock(due, 10))).toBeLessThan(5_000);
    expect(due.year).toBe(year + 1);

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'answered', outcome: 'no-response', chasers: 3 });
    const chased = (
      await stack.store.models.TimelineEvent.find({ barrierId: result.id, type: 'ask-chased' })
        .sort({ seq: 1 })
        .lean()
    ).map((e) => e.at.getTime());
    const expected = [0, 5, 10].map((n) => londonWallClock(workingDaysAfter(due, n), 10));
    expect(chased).toHaveLength(3);
    chased.forEach((at, i) => expect(Math.abs(at - expected[i]!)).toBeLessThan(5_000));
    expect(
      Math.abs(result.respondedAt! - londonWallClock(workingDaysAfter(due, 15), 10)),
    ).toBeLessThan(5_000);

    // Every bundled barrier heard it all and is back with GMCA for a decision.
    for (const b of barriers) {
      const view = await env.client.workflow
        .getHandle(barrierWorkflowId(b))
        .query(barrierStateQuery);
      expect(view).toMatchObject({ stage: 'gmca', status: 'open', askId: null });
      const types = (
        await stack.store.models.TimelineEvent.find({ barrierId: b }).sort({ seq: 1 }).lean()
      )
        .map((e) => e.type)
        .filter((t) => t.startsWith('ask-'));
      expect(types).toEqual([
        'ask-submitted',
        'ask-chased',
        'ask-chased',
        'ask-chased',
        'ask-outcome',
      ]);
    }
  }, 120_000);

  it('closes every bundled barrier when Whitehall agrees', async () => {
    const barriers = [await barrierAtGmca(), await barrierAtGmca()];
    const handle = await askWith(barriers, 2);
    await handle.executeUpdate(askActionUpdate, {
      args: [{ command: { type: 'submit' }, actor: gmca }],
    });
    await handle.executeUpdate(askActionUpdate, {
      args: [
        {
          command: { type: 'record-response', outcome: 'agreed', response: 'A pilot is agreed.' },
          actor: gmca,
        },
      ],
    });
    for (const b of barriers) {
      const barrier = env.client.workflow.getHandle(barrierWorkflowId(b));
      const view = await barrier.result();
      expect(view).toMatchObject({ status: 'closed', resolution: 'A pilot is agreed.' });
    }
  }, 60_000);
});
