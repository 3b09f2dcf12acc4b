/**
 * The workflows bundle made ahead of time. A worker given one (WORKFLOW_BUNDLE)
 * starts without webpack: faster, and without the bundler's code and heap kept
 * in the worker's memory for as long as it runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_TRACING_MODULE } from '../observability/tracing/temporal.ts';

/** The file every workflow is exported from. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** The workflows' interceptor that counts workflows begun and failed (worker/metrics.ts). */
export const WORKFLOW_METRICS_INTERCEPTORS = fileURLToPath(
  new URL('../workflows/metrics-interceptor.ts', import.meta.url),
);

/**
 * Packages that must never reach the workflow bundle. The sandbox evaluates
 * every bundled module again for each workflow it creates, so a library
 * there is paid for on every barrier raised: bundled, zod's schema building
 * costs about a third of the worker's CPU per barrier (bench/README.md).
 */
const KEPT_OUT = ['zod', 'mongoose', 'express'];

type WebpackConfig = Parameters<
  NonNullable<Parameters<typeof bundleWorkflowCode>[0]['webpackConfigHook']>
>[0];

/**
 * The bundle with what no workflow uses left out, as webpack's production mode
 * would (unused exports dropped, side-effect-free packages' unused modules
 * skipped, modules joined in one scope), but not minified, so stack traces
 * still name our functions. The sandbox evaluates the bundle's modules for
 * every workflow it creates, so each module and export left out is saved on
 * every barrier: with the tracing interceptors, whose OpenTelemetry packages
 * are mostly code a workflow never calls, replaying a barrier's history took
 * 13.5 ms of CPU more than untraced, and 8.5 ms more once shaken (bench/README.md).
 * Only OpenTelemetry's packages (and `ms`) declare themselves free of side
 * effects; our modules and Temporal's are kept whole.
 */
export function shakeWorkflowBundle(config: WebpackConfig): WebpackConfig {
  return {
    ...config,
    optimization: {
      ...config.optimization,
      usedExports: true,
      sideEffects: true,
      innerGraph: true,
      concatenateModules: true,
    },
  };
}

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
    webpackConfigHook: shakeWorkflowBundle,
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
