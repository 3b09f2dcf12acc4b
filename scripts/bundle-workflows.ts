/**
 * `npm run bundle:workflows [-- [--tracing] <file>]`: bundles the workflows for workers
 * started with WORKFLOW_BUNDLE=<file> (default dist/workflows.js). Rebuild it
 * with every release: a worker runs the workflow code in its bundle. With
 * --tracing, workflows make spans (for workers with tracing on).
 */
import { resolve } from 'node:path';
import { runScript } from './lib/run-script.ts';
import { writeWorkflowBundle } from '../worker/bundle.ts';

await runScript('bundle:workflows', async () => {
  const all = process.argv.slice(2);
  const tracing = all.includes('--tracing');
  const args = all.filter((a) => a !== '--tracing');
  if (args.length > 1 || args[0]?.startsWith('-')) {
    console.error(
      'usage: npm run bundle:workflows [-- [--tracing] <file>]   (default dist/workflows.js)',
    );
    process.exit(2);
  }
  const file = resolve(args[0] ?? 'dist/workflows.js');
  const bytes = await writeWorkflowBundle(file, { tracing });
  console.log(
    `[bundle:workflows] ${file} (${Math.round(bytes / 1024)} KiB); start workers with WORKFLOW_BUNDLE=${file}`,
  );
});
