/**
 * The workflows bundle made ahead of time. A worker given one (WORKFLOW_BUNDLE)
 * starts without webpack: faster, and without the bundler's code and heap kept
 * in the worker's memory for as long as it runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './create-worker.ts';

/** Bundles every workflow into one file at `path`; returns its size in bytes. */
export async function writeWorkflowBundle(path: string): Promise<number> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    // Webpack's summary is noise; its warnings and errors are not.
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (m: string) => console.warn(`[bundle] ${m}`),
      error: (m: string) => console.error(`[bundle] ${m}`),
    },
  });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  return Buffer.byteLength(code);
}
