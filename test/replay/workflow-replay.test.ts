/**
 * Replays committed histories of barrierWorkflow and askWorkflow against the current code.
 * A failure here means a change would break workflows already running in
 * production: guard it with patched() instead of re-recording.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { quietTemporalRuntime } from '../support/stack.ts';

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
      ]),
    );
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    quietTemporalRuntime();
    const { workflowId, history } = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as {
      workflowId: string;
      history: unknown;
    };
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') } },
        historyFromJSON(history),
        workflowId,
      ),
    ).resolves.toBeUndefined();
  });
});
