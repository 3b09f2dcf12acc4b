/**
 * barrierWorkflow: one barrier's life, from raised to closed, with its SLA
 * clocks as durable timers. Rules live in domain/barrier/barrier-machine.ts;
 * this file only sequences time, routing and projection.
 */
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ActionRejected, BarrierMachine } from '../../domain/barrier/barrier-machine.ts';
import type { Activities } from '../../activities/types.ts';
import { EMAIL_ACTIVITY, STORE_ACTIVITY, STORE_LOCAL_ACTIVITY } from '../activity-options.ts';
import { createTurns } from '../turns.ts';
import {
  ACTION_REJECTED,
  absorbSignal,
  askNewsSignal,
  awaitRoutedUpdate,
  emailsRejectedSignal,
  linkedSignal,
  barrierActionUpdate,
  barrierStateQuery,
  barrierWorkflowId,
  type BarrierActionArg,
  type BarrierView,
  type BarrierWorkflowInput,
} from './definitions.ts';

const storeTasks = proxyActivities<Activities>(STORE_ACTIVITY);
const storeLocal = proxyLocalActivities<Activities>(STORE_LOCAL_ACTIVITY);
const { notifyBarrier } = proxyActivities<Activities>(EMAIL_ACTIVITY);

/** Workflows that started before emails existed replay without them. */
export const NOTIFICATIONS_PATCH = 'notifications-v1';

/**
 * Routing and projection run as local activities: in the worker that holds
 * the workflow task, with no activity task and no extra workflow task through
 * the server for each. A raise or an escalation then costs one workflow task
 * instead of three (the benchmark's lifecycle and lag figures). Histories from
 * before the patch replay their scheduled activities.
 */
export const LOCAL_STORE_PATCH = 'local-store-activities-v1';
const store = () => (patched(LOCAL_STORE_PATCH) ? storeLocal : storeTasks);

/**
 * Emails are queued by the projection and sent by the worker's outbox
 * (worker/email-outbox.ts), not by an activity of this workflow: a raise
 * is then one workflow task and no activity task. Refusals come back as the
 * emailsRejected signal. Histories from before the patch replay their
 * notifyBarrier activities.
 */
export const EMAIL_OUTBOX_PATCH = 'email-outbox-v1';

/**
 * A raise arrives routed by the API (input.owner): its first workflow task
 * assigns the owner and projects, one local activity instead of two.
 * Histories from before the patch route in the workflow.
 */
export const ROUTED_AT_RAISE_PATCH = 'routed-at-raise-v1';

/** Continue as new well before Temporal's history limits. */
const MAX_HISTORY_EVENTS = 2_000;

export function toView(m: BarrierMachine): BarrierView {
  const s = m.state;
  const d = s.details;
  return {
    id: s.id,
    reference: s.reference,
    title: d.title,
    description: d.description,
    locality: d.locality,
    neighbourhood: d.neighbourhood,
    category: d.category,
    focusArea: d.focusArea ?? null,
    gmModelFeature: d.gmModelFeature ?? null,
    peopleAffected: d.peopleAffected ?? null,
    evidence: d.evidence,
    raisedBy: s.raisedBy,
    raisedAt: s.raisedAt,
    stage: s.stage,
    status: s.status,
    cycle: s.cycle,
    owner: s.owner,
    acknowledged: s.clocks.acknowledge.stopped && s.status === 'open',
    policy: { id: s.policy.id, version: s.policy.version },
    sla: m.sla(),
    closedAt: s.closedAt,
    reopenUntil: m.reopenUntil(),
    resolution: s.resolution,
    seq: s.seq,
    raisers: m.raisers(),
    mergedInto: s.mergedInto ?? null,
    mergedFrom: s.mergedFrom ?? [],
    links: s.links ?? [],
    askId: s.askId ?? null,
  };
}

export async function barrierWorkflow(input: BarrierWorkflowInput): Promise<BarrierView> {
  const now = () => Date.now();
  const imported = input.version === 2 ? input.imported : undefined;
  const machine = input.carried
    ? new BarrierMachine(input.carried)
    : BarrierMachine.raise({ ...input, imported, now: now() });
  let routed = input.carried !== undefined;
  let changed = false;

  // Updates, signals and timers take turns (routing and projection included), so
  // events project in order; emails go out beside the turns, never holding them up.
  const { exclusive, beside, settle } = createTurns();

  const route = async () => {
    const s = machine.state;
    const owner = await store().routeBarrier({
      barrierId: s.id,
      locality: s.details.locality,
      neighbourhood: s.details.neighbourhood,
      category: s.details.category,
      stage: s.stage,
    });
    machine.assign(owner, now());
  };

  // An SMTP outage must not block people's actions: emails go beside the turns.
  const notify = (view: BarrierView, events: ReturnType<typeof machine.takeEvents>) => {
    if (!patched(NOTIFICATIONS_PATCH)) return;
    if (patched(EMAIL_OUTBOX_PATCH)) return; // queued by the projection
    beside(
      notifyBarrier({ view, events }).then(async ({ rejected }) => {
        if (rejected.length === 0) return;
        await exclusive(async () => {
          for (const r of rejected) machine.recordEmailRejected(r, now());
          await project();
        });
      }),
      'notifying',
    );
  };

  let lastAttributes = '';
  const project = async () => {
    const events = machine.takeEvents();
    if (events.length === 0) return;
    const view = toView(machine);
    await store().projectBarrier({
      workflowId: workflowInfo().workflowId,
      view,
      events,
      outbox: patched(EMAIL_OUTBOX_PATCH),
    });
    notify(view, events);
    const attributes = {
      GtLocality: [view.locality],
      GtNeighbourhood: [view.neighbourhood],
      GtStage: [view.stage],
      GtStatus: [view.status],
      GtNextDeadline: view.sla.nextDeadlineAt === null ? [] : [new Date(view.sla.nextDeadlineAt)],
    };
    const key = JSON.stringify(attributes);
    if (key !== lastAttributes) {
      upsertSearchAttributes(attributes);
      lastAttributes = key;
    }
  };

  /** Fires what came due, escalating and routing on a breach. */
  const catchUp = async () => {
    const { escalateTo } = machine.tick(now());
    if (escalateTo) {
      machine.escalate(escalateTo, 'system', 'SLA breached', true, now());
      await route();
    }
  };

  setHandler(barrierStateQuery, () => toView(machine));

  // News from other workflows takes its turn like any change.
  const onNews = (change: () => void) =>
    exclusive(async () => {
      await catchUp();
      change();
      await project();
      changed = true;
    });
  setHandler(absorbSignal, (merged) => onNews(() => machine.absorb(merged, now())));
  setHandler(linkedSignal, ({ with: other }) => onNews(() => machine.linkedBy(other, now())));
  setHandler(askNewsSignal, (news) => onNews(() => machine.askNews(news, now())));
  setHandler(emailsRejectedSignal, (rejected) =>
    onNews(() => {
      for (const r of rejected) machine.recordEmailRejected(r, now());
    }),
  );

  setHandler(awaitRoutedUpdate, async () => {
    await condition(() => routed);
    return toView(machine);
  });

  setHandler(
    barrierActionUpdate,
    ({ command, actor }) =>
      exclusive(async () => {
        await catchUp();
        try {
          const { needsRouting, tell } = machine.apply(command, actor, now());
          if (needsRouting) await route();
          if (tell) {
            const other = getExternalWorkflowHandle(barrierWorkflowId(tell.barrierId));
            // The other barrier may have ended meanwhile; this one's change stands.
            const sent =
              tell.news.type === 'absorb'
                ? other.signal(absorbSignal, tell.news.merged)
                : other.signal(linkedSignal, { with: tell.news.with });
            await sent.catch((err: unknown) =>
              log.warn('could not tell another barrier', {
                barrierId: tell.barrierId,
                error: String(err),
              }),
            );
          }
        } catch (err) {
          if (err instanceof ActionRejected) {
            await project();
            throw ApplicationFailure.create({
              type: ACTION_REJECTED,
              message: err.message,
              nonRetryable: true,
            });
          }
          throw err;
        }
        await project();
        changed = true;
        return toView(machine);
      }),
    {
      validator: ({ command }: BarrierActionArg) => {
        const problem = machine.problemWith(command, now());
        if (problem)
          throw ApplicationFailure.create({
            type: ACTION_REJECTED,
            message: problem,
            nonRetryable: true,
          });
      },
    },
  );

  if (!routed) {
    await exclusive(async () => {
      // An imported row arrives closed, or with the owner its log names; others are routed.
      if (imported?.owner && !imported.close)
        machine.assign({ ...imported.owner, reason: 'imported' }, now());
      else if (input.owner && patched(ROUTED_AT_RAISE_PATCH)) machine.assign(input.owner, now());
      else if (!imported?.close) await route();
      await project();
    });
    routed = true;
  }

  for (;;) {
    const open = machine.state.status === 'open';
    const reopenUntil = machine.reopenUntil();
    if (!open && (reopenUntil === null || now() > reopenUntil)) break;
    const wakeAt = open ? machine.nextWakeAt() : reopenUntil;
    changed = false;
    if (wakeAt === null) await condition(() => changed);
    else await condition(() => changed, Math.max(1, wakeAt - now()));
    if (!changed)
      await exclusive(async () => {
        await catchUp();
        await project();
      });
    if (
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength > MAX_HISTORY_EVENTS
    ) {
      await settle();
      await continueAsNew<typeof barrierWorkflow>({ ...input, carried: machine.state });
    }
  }

  await settle();
  return toView(machine);
}
