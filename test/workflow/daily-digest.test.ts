/**
 * The daily digest on the time-skipping server: on a working morning each
 * person with overdue or at-risk barriers (or deferred updates) gets one
 * digest, most delayed first; nobody else; a rerun sends nothing twice; on a
 * bank holiday nothing at all.
 */
import { writeFileSync } from 'node:fs';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bankHolidays from '../../domain/calendar/bank-holidays.json' with { type: 'json' };
import { addDays, londonDate, londonWallClock } from '../../domain/calendar/london-time.ts';
import { isWorkingDay } from '../../domain/calendar/working-time.ts';
import { barrierDocument } from '../../activities/projection.ts';
import { dailyDigestWorkflow } from '../../workflows/digest/digest-workflow.ts';
import { neighbourhood } from '../support/people.ts';
import { TEST_BASE_URL, type TestStack } from '../support/stack.ts';
import { openTimeSkippingStack } from '../support/time-skipping.ts';
import { barrierView as view } from '../support/views.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const taskQueue = 'digest';

let env: TestWorkflowEnvironment;
let stack: TestStack;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ env, stack, close } = await openTimeSkippingStack('digest', taskQueue));
});
afterAll(async () => {
  await close?.();
});

const A = neighbourhood('wigan', 'leigh').lead;
const B = neighbourhood('wigan', 'hindley-and-abram').lead;
const C = neighbourhood('bolton', 'turton').lead;
const D = neighbourhood('bury', 'prestwich').lead;

/** 08:00 London on the first day after `from` that `accept` takes. */
function morningAfter(from: number, accept: (d: ReturnType<typeof londonDate>) => boolean) {
  let d = addDays(londonDate(from), 1);
  while (!accept(d)) d = addDays(d, 1);
  return londonWallClock(d, 8);
}

const isBankHolidayWeekday = (d: ReturnType<typeof londonDate>) => {
  const iso = `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  return d.weekday >= 1 && d.weekday <= 5 && iso in bankHolidays.holidays;
};

describe('dailyDigestWorkflow', () => {
  it('sends one digest each to the people with something due on a working morning, none on a bank holiday', async () => {
    const start = await env.currentTimeMs();
    const morning = morningAfter(start, isWorkingDay);
    const holiday = morningAfter(morning, isBankHolidayWeekday);

    const docs = [
      // A: long overdue, recently overdue and at risk; most delayed must come first.
      barrierDocument('w', view('GT-D1', A, { breached: true, overdueSince: start - 1 * DAY })),
      barrierDocument('w', view('GT-D2', A, { breached: true, overdueSince: start - 5 * DAY })),
      barrierDocument('w', view('GT-D3', A, { atRisk: true, nextDeadlineAt: morning + 2 * HOUR })),
      // B: at risk only.
      barrierDocument('w', view('GT-D4', B, { atRisk: true, nextDeadlineAt: morning + 4 * HOUR })),
      // C: on track: no digest.
      barrierDocument('w', view('GT-D5', C, { nextDeadlineAt: morning + 30 * DAY })),
    ];
    await stack.store.models.Barrier.collection.insertMany(
      docs.map((d) => ({ ...d, projectedAt: new Date() })) as never[],
    );
    // D chose the daily digest: an update deferred to it.
    await stack.store.models.Person.updateOne({ _id: D }, { $set: { delivery: 'daily-digest' } });
    await stack.store.models.EmailLog.create({
      _id: 'GT-D6:2:assigned:' + D,
      kind: 'assigned',
      to: D,
      subject: '[GT-D6] Assigned to you: a deferred update',
      barrierId: 'GT-D6',
      status: 'deferred',
      createdAt: new Date(start),
    });

    await env.sleep(morning - start);
    // A plain client: awaiting a result must not let the server skip time on its own.
    const client = new Client({ connection: env.connection });
    const run = (n: number) =>
      client.workflow.execute(dailyDigestWorkflow, {
        taskQueue,
        workflowId: `digest-${n}`,
      });
    const first = await run(1);
    expect(first).toMatchObject({ skipped: null, sent: 3, people: 3 });
    // RECORD_DIGEST_HISTORY=1 keeps this run's history for the replay test (once; never re-record).
    if (process.env.RECORD_DIGEST_HISTORY) {
      const history = await client.workflow.getHandle('digest-1').fetchHistory();
      writeFileSync(
        new URL('../history-files/digest-working-morning.json', import.meta.url),
        `${JSON.stringify({ workflowId: 'digest-1', recordedAt: new Date().toISOString(), history: JSON.parse(historyToJSON(history)) as unknown }, null, 1)}\n`,
      );
    }

    const digests = stack.mailbox.messages();
    expect(digests.map((m) => m.to[0]).sort()).toEqual([A, B, D].sort());
    const forA = digests.find((m) => m.to[0] === A)!;
    expect(forA.subject).toMatch(
      /^\[Golden Thread\] Your barriers on \d{1,2} [A-Z][a-z]+ \d{4}: 2 overdue, 1 at risk$/,
    );
    const order = ['GT-D2', 'GT-D1', 'GT-D3'].map((r) => forA.text.indexOf(`[${r}]`));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(forA.text).toContain(`${TEST_BASE_URL}/barriers/GT-D2`);
    const forD = digests.find((m) => m.to[0] === D)!;
    expect(forD.text).toContain('[GT-D6] Assigned to you: a deferred update');

    // The same morning again (a retried schedule, say): nothing new.
    const again = await run(2);
    expect(again).toMatchObject({ date: first.date, sent: 0 });
    expect(stack.mailbox.messages()).toHaveLength(3);

    await env.sleep(holiday - (await env.currentTimeMs()));
    const onHoliday = await run(3);
    expect(onHoliday.skipped).toMatch(/^bank holiday: /);
    expect(stack.mailbox.messages()).toHaveLength(3);
  }, 60_000);
});
