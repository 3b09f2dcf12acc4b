/** The raw engine's ceilings: workflows that do nothing but what Temporal itself must. */
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

/** Start and first task: a workflow that completes at once (the raise's ceiling). */
export async function rawWorkflow(): Promise<number> {
  return Promise.resolve(1);
}

/** An update answered in the task that receives it (the ceiling for an action). */
export const rawTouchUpdate = defineUpdate<number, [number]>('rawTouch');
export const rawDoneSignal = defineSignal('rawDone');

/** Waits, answering updates, until told it is done. */
export async function rawUpdatableWorkflow(): Promise<number> {
  let touched = 0;
  let done = false;
  setHandler(rawTouchUpdate, (i) => {
    touched += 1;
    return i;
  });
  setHandler(rawDoneSignal, () => {
    done = true;
  });
  await condition(() => done);
  return touched;
}
