/**
 * Whitehall asks: the register within scope, one ask with its evidence,
 * creating asks and bundling barriers into them (the steps across an ask's
 * workflow and its barriers' workflows, with the checks that make a bad
 * request a clear refusal that changes nothing), and the ask's actions.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { AskActionRequest } from '../domain/ask/schemas.ts';
import { askArea } from '../domain/access.ts';
import { requireAskRunner } from './access.ts';
import type { Actor } from '../domain/barrier/types.ts';
import { askIdPattern } from '../domain/barrier/schemas.ts';
import { askEvidence } from '../domain/ask/evidence.ts';
import { computeEvidence, readEvidenceSources } from '../store/ask-queries.ts';
import { getTimeline } from '../store/barrier-queries.ts';
import type { AskDoc, Models } from '../store/models.ts';
import { findByIds } from '../store/point-reads.ts';
import { latestPolicyCached } from '../store/directory-reads.ts';
import { allocateReference } from '../store/store.ts';
import { BarrierActionRejected, actOnBarrier } from '../workflows/barrier/lifecycle.ts';
import { AskActionRefused, actOnAsk, startAsk } from '../workflows/ask/lifecycle.ts';
import type { AskView } from '../workflows/ask/definitions.ts';
import { numberedPage, type NumberedPage } from '../domain/numbered-page.ts';
import { searchWords } from '../domain/search.ts';
import { wordsFilter } from '../store/search.ts';
import type { ServiceDeps } from './deps.ts';
import { InvalidInput, NotFound, Rejected } from './errors.ts';

type AsksDeps = Omit<ServiceDeps, 'logger'>;
export type StoredAsk = AskDoc & { _id: string };

/** The asks an actor sees, as a filter on the evidence each ask keeps of its barriers. */
function askFilter(actor: Actor): Record<string, string> {
  const { locality, neighbourhood } = askArea(actor);
  if (neighbourhood !== undefined)
    return { 'evidence.neighbourhoods': `${locality}/${neighbourhood}` };
  return locality !== undefined ? { 'evidence.localities': locality } : {};
}

/** How many asks a register shows at most. */
export const REGISTER_LIMIT = 1000;

/** What a register of asks may be filtered by. */
export interface AskListFilters {
  q?: string;
  department?: string;
  status?: string;
  outcome?: string;
}

/** The query for the asks the actor may see that match `filters`, newest first. */
function visibleAsksQuery(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  filters: AskListFilters,
) {
  const filter: Record<string, unknown> = { ...askFilter(actor) };
  const words = searchWords(filters.q);
  if (words.length) filter.$and = wordsFilter(words, ['reference', 'title', 'ask']);
  if (filters.department) filter.department = filters.department;
  if (filters.status) filter.status = filters.status;
  if (filters.outcome) filter.outcome = filters.outcome;
  return deps.models.Ask.find(filter).sort({ createdAt: -1 });
}

/** The asks the actor may see, newest first, filtered, `limit` at most (the API's register). */
export function listVisibleAsks(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  filters: AskListFilters = {},
  limit = REGISTER_LIMIT,
) {
  return visibleAsksQuery(deps, actor, filters).limit(limit).lean();
}

/** Every ask the actor may see that matches, newest first: for the register's CSV. */
export function allVisibleAsks(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  filters: AskListFilters = {},
): Promise<StoredAsk[]> {
  return visibleAsksQuery(deps, actor, filters).lean<StoredAsk[]>().exec();
}

/**
 * Page `page.number` of the asks the actor may see that match, newest first,
 * with how many match: one read of them all (FerretDB 1.x would read them all
 * for a skip and a limit too), sliced here.
 */
export async function pageOfVisibleAsks(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  filters: AskListFilters,
  page: { number: number; size: number },
): Promise<NumberedPage<StoredAsk>> {
  return numberedPage(await allVisibleAsks(deps, actor, filters), page.number, page.size);
}

/** The ask if the actor may see it; otherwise not found. */
export async function visibleAsk(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  id: string,
): Promise<StoredAsk> {
  const a = askIdPattern.test(id)
    ? await deps.models.Ask.findOne({ _id: id, ...askFilter(actor) }).lean()
    : null;
  if (!a) throw new NotFound(`There is no ask ${id} that you can see.`);
  return a;
}

/** An ask with its evidence (computed now), timeline and bundled barriers. */
export async function askDetail(deps: Pick<ServiceDeps, 'models'>, a: StoredAsk) {
  const { models } = deps;
  const [evidence, timeline, barriers] = await Promise.all([
    computeEvidence(models, a.barrierIds, Date.now()),
    getTimeline(models, a),
    findByIds(models.Barrier, a.barrierIds, {
      reference: 1,
      title: 1,
      locality: 1,
      neighbourhood: 1,
      stage: 1,
      status: 1,
    }),
  ]);
  const byId = new Map(barriers.map((b) => [b._id, b]));
  return {
    ask: a,
    evidence,
    timeline,
    barriers: a.barrierIds.flatMap((id) => {
      const b = byId.get(id);
      return b ? [b] : [];
    }),
  };
}

/**
 * An ask with its evidence worked out in full as at `now`, the events of its
 * barriers (and of those merged into them) and its own history: what its page
 * and its evidence pack are both made from, read once.
 */
export async function askWithEvidence(
  deps: Pick<ServiceDeps, 'models'>,
  a: StoredAsk,
  now = Date.now(),
) {
  const [sources, timeline] = await Promise.all([
    readEvidenceSources(deps.models, a.barrierIds),
    getTimeline(deps.models, a),
  ]);
  return { ask: a, evidence: askEvidence(sources, now), events: sources.events, timeline };
}

/** Reads an ask after a change; not found while its projection has not landed yet. */
export async function rereadAsk(deps: Pick<ServiceDeps, 'models'>, id: string) {
  const a = await deps.models.Ask.findById(id).lean();
  if (!a) throw new NotFound(`The ask ${id} is not readable yet; try again shortly.`);
  return askDetail(deps, a);
}

/** An ask's detail as it stands after a change to it (as it was, if the read model lags). */
export async function askDetailAfterChange(deps: Pick<ServiceDeps, 'models'>, a: StoredAsk) {
  const fresh = await deps.models.Ask.findById(a._id).lean();
  return askDetail(deps, fresh ?? a);
}

/**
 * Takes an action on an ask the actor can see and may run.
 * @throws {Rejected} when the ask's state does not allow it now.
 */
export async function actOnVisibleAsk(
  deps: AsksDeps,
  actor: Actor,
  a: StoredAsk,
  action: AskActionRequest,
): Promise<void> {
  requireAskRunner(actor);
  try {
    if (action.type === 'add-barrier') {
      await addToAsk(deps, actor, a._id, action.barrierId, 'body.barrierId');
    } else {
      await actOnAsk(deps.client, a._id, action, actor);
    }
  } catch (err) {
    if (err instanceof AskActionRefused)
      throw new Rejected(`You cannot ${action.type} on ${a._id} now: ${err.message}.`);
    throw err;
  }
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
  if (errors.length > 0) throw new InvalidInput(errors.map((e) => e.reason).join('; '), errors);
  const problems = found.flatMap((b) => {
    if (b.status !== 'open') return [`${b._id} is ${b.status}`];
    if (b.askId) return [`${b._id} is already in ask ${b.askId}`];
    if (b.stage !== 'gmca') return [`${b._id} is at the ${b.stage} stage, not gmca`];
    return [];
  });
  if (problems.length > 0) {
    throw new Rejected(
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
    throw new Rejected(`${barrierId} cannot go into the ask now: ${err.message}.`);
  }
}

/**
 * Creates a draft ask bundling `barrierIds` and promotes each into it, all or
 * nothing. The ask starts with the first barrier and takes each next one just
 * before promoting it, so a barrier is listed only once it is being promoted.
 * When one refuses (its state changed since the checks), the draft is
 * withdrawn, which returns every barrier it holds to gmca, and the refusal is
 * thrown: no barrier stays promoted into an ask that was not made.
 */
export async function createAsk(
  deps: AsksDeps,
  actor: Actor,
  draft: { title: string; department: string; ask: string; barrierIds: string[] },
): Promise<AskView> {
  const { models } = deps;
  await requireBundleable(models, draft.barrierIds, 'body.barrierIds');
  const [first, ...rest] = draft.barrierIds;
  if (first === undefined) throw new InvalidInput('An ask bundles at least one barrier.');
  const policy = (await latestPolicyCached(models, deps.defaultPolicy.id)) ?? deps.defaultPolicy;
  const person = await models.Person.findById(actor.email, { name: 1 }).lean();
  // A counter behind Temporal (a database restored from an older backup) must
  // not reuse an ask's workflow: skip forward past ids already taken.
  for (let attempt = 1; ; attempt++) {
    const id = await allocateReference(models, 'ask', 'ASK');
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
        barrierIds: [first],
        policy,
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError && attempt < 100) continue;
      throw err;
    }
    try {
      await promoteInto(deps, actor, id, first);
      for (const barrierId of rest) {
        await actOnAsk(deps.client, id, { type: 'add-barrier', barrierId }, actor);
        await promoteInto(deps, actor, id, barrierId);
      }
    } catch (err) {
      await actOnAsk(
        deps.client,
        id,
        { type: 'withdraw', reason: 'Not created: a barrier could not be promoted into it.' },
        actor,
      ).catch(() => undefined);
      if (err instanceof AskActionRefused)
        throw new Rejected(`The ask could not take every barrier: ${err.message}.`);
      throw err;
    }
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
      throw new Rejected(`You cannot add ${barrierId} to ${askId} now: ${err.message}.`);
    throw err;
  }
  await promoteInto(deps, actor, askId, barrierId);
}
