/**
 * The workflows bundle made ahead of time. A worker given one (WORKFLOW_BUNDLE)
 * starts without webpack: faster, and without the bundler's code and heap kept
 * in the worker's memory for as long as it runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_METRICS_INTERCEPTORS, WORKFLOWS_PATH } from './create-worker.ts';
import { WORKFLOW_TRACING_MODULE } from '../observability/tracing/temporal.ts';

/**
 * Packages that must never reach the workflow bundle. The sandbox evaluates
 * every bundled module again for each workflow it creates, so a library
 * there is paid for on every barrier raised: bundled, zod's schema building
 * costs about a third of the worker's CPU per barrier (bench/README.md).
 */
const KEPT_OUT = ['zod', 'mongoose', 'express'];

/** The kept-out packages a bundle holds (webpack names each module by its path). */
const keptOutPackagesIn = (code: string) =>
  KEPT_OUT.filter((name) => code.includes(`"./node_modules/${name}/`));

/**
 * Bundles every workflow into one file at `path`; returns its size in bytes.
 * With `tracing`, the bundle holds the interceptors that make workflow spans
 * (for workers with tracing on); without, workflows run with no interceptor.
 * @throws when a package that must stay out of workflows reached the bundle.
 */
export async function writeWorkflowBundle(
  path: string,
  options: { tracing?: boolean } = {},
): Promise<number> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: [
      WORKFLOW_METRICS_INTERCEPTORS,
      ...(options.tracing ? [WORKFLOW_TRACING_MODULE] : []),
    ],
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
  const keptOut = keptOutPackagesIn(code);
  if (keptOut.length > 0) {
    throw new Error(
      `the workflow bundle holds ${keptOut.join(', ')}: a module workflows import (often in domain/) imports it at run time; import only types from it, or move what workflows need into a module without it`,
    );
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  return Buffer.byteLength(code);
}
