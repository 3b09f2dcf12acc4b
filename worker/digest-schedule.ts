/**
 * The daily digest's Temporal Schedule: 08:00 Europe/London, Monday to Friday
 * (the workflow itself skips bank holidays). Created when a worker starts;
 * starting again, or many workers starting at once, leaves one schedule.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';

export const digestScheduleId = (taskQueue: string) => `daily-digest-${taskQueue}`;

export function digestScheduleOptions(taskQueue: string): ScheduleOptions {
  return {
    scheduleId: digestScheduleId(taskQueue),
    spec: {
      calendars: [
        {
          dayOfWeek: { start: 'MONDAY', end: 'FRIDAY' },
          hour: 8,
          minute: 0,
        },
      ],
      timezone: 'Europe/London',
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'dailyDigestWorkflow',
      taskQueue,
      workflowId: `daily-digest-${taskQueue}`,
      args: [],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  };
}

/** Creates the schedule, or brings an existing one up to date. */
export async function ensureDigestSchedule(
  client: Client,
  taskQueue: string,
): Promise<'created' | 'updated'> {
  const options = digestScheduleOptions(taskQueue);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(options.scheduleId).update((previous) => ({
    ...previous,
    spec: options.spec,
    action: options.action,
    policies: { ...previous.policies, ...options.policies },
  }));
  return 'updated';
}
