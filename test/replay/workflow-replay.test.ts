/**
 * Replays committed histories of barrierWorkflow, askWorkflow and dailyDigestWorkflow
 * against the current code.
 * A failure here means a change would break workflows already running in
 * production: guard it with patched() instead of re-recording.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { quietTemporalRuntime } from '../support/stack.ts';
import { writeWorkflowBundle } from '../../worker/bundle.ts';
import { workflowSpanSinks } from '../../observability/tracing/temporal.ts';
import { workflowMetricsSinks } from '../../worker/metrics.ts';

const dir = new URL('../history-files/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replay of committed histories', () => {
  it('has histories to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'barrier-actions.json',
        'barrier-climb.json',
        'barrier-climb-emails-v1.json',
        'barrier-triage-ask-v1.json',
        'barrier-triage-ask-v1-2.json',
        'barrier-local-store-v1.json',
        'barrier-update-with-start-v1.json',
        'barrier-email-outbox-v1.json',
        'digest-working-morning.json',
        'import-v1.json',
        'import-v1-2.json',
        'import-v1-3.json',
        'import-v1-4.json',
      ]),
    );
  });

  it('has a history of each way the store and email work was run: activity tasks, local activities, the outbox', () => {
    /** Scheduled activity types and recorded markers (patches and local activities) of a history. */
    const summary = (file: string) => {
      const { history } = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as {
        history: {
          events: Record<
            string,
            {
              activityType?: { name: string };
              markerName?: string;
              details?: Record<string, { payloads?: { data?: string }[] }>;
            }
          >[];
        };
      };
      const scheduled = history.events.flatMap((e) =>
        e.activityTaskScheduledEventAttributes?.activityType
          ? [e.activityTaskScheduledEventAttributes.activityType.name]
          : [],
      );
      const markers = history.events.flatMap((e) => {
        const m = e.markerRecordedEventAttributes;
        if (!m?.markerName) return [];
        const data = Object.values(m.details ?? {}).flatMap((d) => d.payloads ?? []);
        return [
          `${m.markerName} ${data.map((p) => Buffer.from(p.data ?? '', 'base64').toString()).join(' ')}`,
        ];
      });
      return { scheduled, markers: markers.join('\n') };
    };
    for (const old of ['barrier-climb.json', 'barrier-climb-emails-v1.json']) {
      const { scheduled, markers } = summary(old);
      expect(scheduled).toContain('routeBarrier');
      expect(scheduled).toContain('projectBarrier');
      expect(markers).not.toContain('local-store-activities-v1');
    }
    const local = summary('barrier-local-store-v1.json');
    expect(local.scheduled).not.toContain('routeBarrier');
    expect(local.scheduled).not.toContain('projectBarrier');
    expect(local.scheduled).toContain('notifyBarrier');
    expect(local.markers).toContain('local-store-activities-v1');
    expect(local.markers).toMatch(/core_local_activity[^\n]*routeBarrier/);
    expect(local.markers).toMatch(/core_local_activity[^\n]*projectBarrier/);

    // Since the outbox: no email activity at all, and a raise routed by the API
    // (its first routing local activity gone; escalations still route).
    const outbox = summary('barrier-email-outbox-v1.json');
    expect(outbox.scheduled).toEqual([]);
    expect(outbox.markers).toContain('email-outbox-v1');
    expect(outbox.markers).toContain('routed-at-raise-v1');
    expect(outbox.markers.match(/core_local_activity[^\n]*routeBarrier/g)).toHaveLength(2);
    expect(local.markers.match(/core_local_activity[^\n]*routeBarrier/g)).toHaveLength(3);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    quietTemporalRuntime();
    const { workflowId, history } = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as {
      workflowId: string;
      history: unknown;
    };
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') }, sinks: workflowMetricsSinks },
        historyFromJSON(history),
        workflowId,
      ),
    ).resolves.toBeUndefined();
  });

  it('replays every history with workflow tracing on (a traced bundle), so tracing can be turned on under running barriers', async () => {
    quietTemporalRuntime();
    const bundle = join(inject('dataDir'), 'workflows-traced-replay.js');
    await writeWorkflowBundle(bundle, { tracing: true });
    for (const file of files) {
      const { workflowId, history } = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as {
        workflowId: string;
        history: unknown;
      };
      await expect(
        Worker.runReplayHistory(
          {
            workflowBundle: { codePath: bundle },
            sinks: { ...workflowMetricsSinks, ...workflowSpanSinks(undefined) },
          },
          historyFromJSON(history),
          workflowId,
        ),
        file,
      ).resolves.toBeUndefined();
    }
  }, 120_000);

  it.each([
    ['barrier-climb.json', 'routeBarrier'],
    ['digest-working-morning.json', 'sendDigest'],
  ])(
    'fails on %s altered so the code would not have scheduled %s (a negative control)',
    async (file, activity) => {
      quietTemporalRuntime();
      const { workflowId, history } = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as {
        workflowId: string;
        history: {
          events: { activityTaskScheduledEventAttributes?: { activityType?: { name: string } } }[];
        };
      };
      const scheduled = history.events.find(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity,
      );
      expect(scheduled, `${file} schedules ${activity}`).toBeDefined();
      scheduled!.activityTaskScheduledEventAttributes!.activityType!.name =
        'anActivityTheCodeNeverCalls';
      await expect(
        Worker.runReplayHistory(
          {
            workflowBundle: { codePath: inject('workflowBundlePath') },
            sinks: workflowMetricsSinks,
          },
          historyFromJSON(history),
          workflowId,
        ),
      ).rejects.toBeInstanceOf(DeterminismViolationError);
    },
  );
});
