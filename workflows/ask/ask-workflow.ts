/**
 * askWorkflow: one Whitehall ask, from draft to outcome. Rules live in
 * domain/ask/ask-machine.ts; this file sequences the response timer and
 * chasers, projection, emails, and the news every bundled barrier is told.
 */
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { AskActionRejected, AskMachine } from '../../domain/ask/ask-machine.ts';
import type { Activities } from '../../activities/types.ts';
import { EMAIL_ACTIVITY, STORE_ACTIVITY } from '../activity-options.ts';
import { createTurns } from '../turns.ts';
import { askNewsSignal, barrierWorkflowId, emailsRejectedSignal } from '../barrier/definitions.ts';
import {
  ASK_ACTION_REJECTED,
  askActionUpdate,
  askReadyUpdate,
  askStateQuery,
  type AskActionArg,
  type AskView,
  type AskWorkflowInput,
} from './definitions.ts';

const { projectAsk } = proxyActivities<Activities>(STORE_ACTIVITY);
const { notifyAsk } = proxyActivities<Activities>(EMAIL_ACTIVITY);

const MAX_HISTORY_EVENTS = 2_000;

export async function askWorkflow(input: AskWorkflowInput): Promise<AskView> {
  const now = () => Date.now();
  const machine = input.carried
    ? new AskMachine(input.carried)
    : AskMachine.create({ ...input, now: now() });
  let changed = false;

  const { exclusive, beside, settle } = createTurns();

  const project = async (): Promise<void> => {
    const events = machine.takeEvents();
    const news = machine.takeNews();
    if (events.length > 0) {
      const view: AskView = { ...machine.state };
      await projectAsk({ view, events });
      beside(
        notifyAsk({ view, events }).then(async ({ rejected }) => {
          if (rejected.length === 0) return;
          await exclusive(async () => {
            for (const r of rejected) machine.recordEmailRejected(r, now());
            await project();
          });
        }),
        'notifying',
      );
    }
    // Barriers hear in order; one that has ended cannot, and that is fine.
    for (const { barrierIds, news: n } of news) {
      await Promise.all(
        barrierIds.map((id) =>
          getExternalWorkflowHandle(barrierWorkflowId(id))
            .signal(askNewsSignal, n)
            .catch((err: unknown) =>
              log.warn('could not tell a barrier', { barrierId: id, error: String(err) }),
            ),
        ),
      );
    }
  };

  setHandler(askStateQuery, () => ({ ...machine.state }));
  // Emails held to go with others (EMAIL_WINDOW_SECONDS) are sent by the worker's
  // outbox, which reports refusals here. A new handler: histories without the
  // signal replay as before.
  setHandler(emailsRejectedSignal, (rejected) =>
    exclusive(async () => {
      for (const r of rejected) machine.recordEmailRejected(r, now());
      await project();
    }),
  );
  setHandler(
    askActionUpdate,
    ({ command, actor }) =>
      exclusive(async () => {
        machine.tick(now());
        try {
          machine.apply(command, actor, now());
        } catch (err) {
          if (err instanceof AskActionRejected) {
            await project();
            throw ApplicationFailure.create({
              type: ASK_ACTION_REJECTED,
              message: err.message,
              nonRetryable: true,
            });
          }
          throw err;
        }
        await project();
        changed = true;
        return { ...machine.state };
      }),
    {
      validator: ({ command }: AskActionArg) => {
        const problem = machine.problemWith(command);
        if (problem)
          throw ApplicationFailure.create({
            type: ASK_ACTION_REJECTED,
            message: problem,
            nonRetryable: true,
          });
      },
    },
  );

  let ready = false;
  setHandler(askReadyUpdate, async () => {
    await condition(() => ready);
    return { ...machine.state };
  });
  await exclusive(project);
  ready = true;

  while (!machine.finished) {
    const wakeAt = machine.nextWakeAt();
    changed = false;
    if (wakeAt === null) await condition(() => changed);
    else await condition(() => changed, Math.max(1, wakeAt - now()));
    if (!changed)
      await exclusive(async () => {
        machine.tick(now());
        await project();
      });
    if (
      !machine.finished &&
      (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS)
    ) {
      await settle();
      await continueAsNew<typeof askWorkflow>({ ...input, carried: machine.state });
    }
  }
  await settle();
  return { ...machine.state };
}
