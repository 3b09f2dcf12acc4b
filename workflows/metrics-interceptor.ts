/**
 * Tells the worker when a workflow begins and when one fails, for its metrics
 * (observability/metrics/metrics.ts). Through a sink: the call leaves the
 * sandbox after the workflow task, writes nothing to the history and is not
 * made again when the workflow is replayed, so a barrier counts once however
 * often it is evicted from the cache and replayed.
 */
import {
  isCancellation,
  proxySinks,
  TemporalFailure,
  workflowInfo,
  type Sinks,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';

/** The sink the worker provides (worker/metrics.ts). */
export interface WorkflowMetricsSinks extends Sinks {
  workflowMetrics: {
    started(): void;
    failed(): void;
  };
}

const { workflowMetrics } = proxySinks<WorkflowMetricsSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        // A run continued from another is the same workflow going on, not a new one.
        if (!workflowInfo().continuedFromExecutionRunId) workflowMetrics.started();
        try {
          return await next(input);
        } catch (err) {
          // Only these fail the workflow; any other error fails the task, which is retried.
          // (continueAsNew throws an Error, never a TemporalFailure.)
          if (err instanceof TemporalFailure && !isCancellation(err)) workflowMetrics.failed();
          throw err;
        }
      },
    },
  ],
});
