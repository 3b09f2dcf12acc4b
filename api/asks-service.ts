/**
 * Creating Whitehall asks and bundling barriers into them: the steps across
 * an ask's workflow and its barriers' workflows, with the checks that make a
 * bad request a clear 4xx that changes nothing.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Actor } from '../domain/barrier/barrier-machine.ts';
import type { Policy } from '../domain/policy/policy.ts';
import type { Models } from '../store/models.ts';
import { latestPolicy } from '../store/policy-store.ts';
import { nextSequence } from '../store/store.ts';
import { BarrierActionRejected, actOnBarrier } from '../workflows/barrier/lifecycle.ts';
import { AskActionRefused, actOnAsk, startAsk } from '../workflows/ask/lifecycle.ts';
import type { AskView } from '../workflows/ask/definitions.ts';
import { badRequest, unprocessable } from './problem.ts';

export interface AsksDeps {
  client: Client;
  taskQueue: string;
  models: Models;
  defaultPolicy: Policy;
}

/** Checks every barrier can go into an ask now: it exists, is open, at gmca, in no other ask. */
async function requireBundleable(models: Models, ids: string[], field: string) {
  const found = await models.Barrier.find(
    { _id: { $in: ids } },
    { stage: 1, status: 1, askId: 1 },
  ).lean();
  const errors = ids.flatMap((id, i) =>
    found.some((b) => b._id === id)
      ? []
      : [{ field: ids.length > 1 ? `${field}[${i}]` : field, reason: `${id} is not a barrier` }],
  );
  if (errors.length > 0) throw badRequest(errors.map((e) => e.reason).join('; '), errors);
  const problems = found.flatMap((b) => {
    if (b.status !== 'open') return [`${b._id} is ${b.status}`];
    if (b.askId) return [`${b._id} is already in ask ${b.askId}`];
    if (b.stage !== 'gmca') return [`${b._id} is at the ${b.stage} stage, not gmca`];
    return [];
  });
  if (problems.length > 0) {
    throw unprocessable(
      `Only open barriers at the gmca stage, in no other ask, go into a Whitehall ask: ${problems.join('; ')}.`,
    );
  }
}

/** Promotes a barrier into an ask that already lists it; undoes the listing if the barrier refuses. */
async function promoteInto(deps: AsksDeps, actor: Actor, askId: string, barrierId: string) {
  try {
    await actOnBarrier(deps.client, barrierId, { type: 'promote', askId }, actor);
  } catch (err) {
    if (!(err instanceof BarrierActionRejected)) throw err;
    await actOnAsk(deps.client, askId, { type: 'remove-barrier', barrierId }, actor).catch(
      () => undefined,
    );
    throw unprocessable(`${barrierId} cannot go into the ask now: ${err.message}.`);
  }
}

/** Creates a draft ask bundling `barrierIds` and promotes each into it. */
export async function createAsk(
  deps: AsksDeps,
  actor: Actor,
  draft: { title: string; department: string; ask: string; barrierIds: string[] },
): Promise<AskView> {
  const { models } = deps;
  await requireBundleable(models, draft.barrierIds, 'body.barrierIds');
  const policy = (await latestPolicy(models, deps.defaultPolicy.id)) ?? deps.defaultPolicy;
  const person = await models.Person.findById(actor.email, { name: 1 }).lean();
  // A counter behind Temporal (a database restored from an older backup) must
  // not reuse an ask's workflow: skip forward past ids already taken.
  for (let attempt = 1; ; attempt++) {
    const id = `ASK-${String(await nextSequence(models, 'ask')).padStart(4, '0')}`;
    let view: AskView;
    try {
      view = await startAsk(deps.client, deps.taskQueue, {
        version: 1,
        id,
        reference: id,
        title: draft.title,
        department: draft.department,
        ask: draft.ask,
        createdBy: actor.email,
        owner: { email: actor.email, name: person?.name ?? actor.email },
        barrierIds: draft.barrierIds,
        policy,
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError && attempt < 100) continue;
      throw err;
    }
    for (const barrierId of draft.barrierIds) await promoteInto(deps, actor, id, barrierId);
    return view;
  }
}

/** Adds a barrier to a draft ask and promotes it. */
export async function addToAsk(
  deps: AsksDeps,
  actor: Actor,
  askId: string,
  barrierId: string,
  field: string,
): Promise<void> {
  await requireBundleable(deps.models, [barrierId], field);
  try {
    await actOnAsk(deps.client, askId, { type: 'add-barrier', barrierId }, actor);
  } catch (err) {
    if (err instanceof AskActionRefused)
      throw unprocessable(`You cannot add ${barrierId} to ${askId} now: ${err.message}.`);
    throw err;
  }
  await promoteInto(deps, actor, askId, barrierId);
}
