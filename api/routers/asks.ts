/** /api/v1/asks: the Whitehall asks register, one ask, and its actions. */
import { Router, type Request } from 'express';
import { canRunAsks } from '../../domain/barrier/access.ts';
import type { Actor } from '../../domain/barrier/barrier-machine.ts';
import { newAskSchema } from '../../domain/barrier/schemas.ts';
import { askActionSchema, listAsksQuerySchema } from '../../domain/ask/schemas.ts';
import { DEPARTMENTS, type Department } from '../../domain/reference-data.ts';
import { computeEvidence, type AskEvidence } from '../../store/ask-queries.ts';
import { getTimeline } from '../../store/barrier-queries.ts';
import { findByIds } from '../../store/point-reads.ts';
import type { AskDoc } from '../../store/models.ts';
import { AskActionRefused, actOnAsk } from '../../workflows/ask/lifecycle.ts';
import { addToAsk, createAsk, type AsksDeps } from '../asks-service.ts';
import { actorOf } from '../auth.ts';
import { toCsv } from '../csv.ts';
import { forbidden, notFound, parseOr400, unprocessable } from '../problem.ts';
import { askIdSchema } from '../schemas.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const departmentName = (slug: string) => DEPARTMENTS[slug as Department] ?? slug;

/** Which asks an actor may see: everything for GMCA, else those bundling their area's barriers. */
function scopeFilter(actor: Actor): Record<string, unknown> {
  switch (actor.role) {
    case 'admin':
    case 'gmca-triage':
      return {};
    case 'locality-lead':
      return { 'evidence.localities': actor.locality };
    case 'neighbourhood-lead':
      return { 'evidence.neighbourhoods': `${actor.locality}/${actor.neighbourhood}` };
  }
}

function askResource(a: AskDoc & { _id: string }, evidence: AskEvidence | null) {
  return {
    id: a._id,
    reference: a.reference,
    title: a.title,
    department: a.department,
    departmentName: departmentName(a.department),
    ask: a.ask,
    status: a.status,
    owner: a.owner,
    createdBy: a.createdBy,
    createdAt: iso(a.createdAt),
    barrierIds: a.barrierIds,
    submittedAt: iso(a.submittedAt),
    responseDueAt: iso(a.dueAt),
    chasers: a.chasers,
    nextChaseAt: iso(a.nextChaseAt),
    outcome: a.outcome ?? null,
    response: a.response ?? null,
    respondedAt: iso(a.respondedAt),
    evidence,
  };
}

export function asksRouter(deps: AsksDeps): Router {
  const { models } = deps;
  const router = Router();

  const requireRunner = (req: Request) => {
    const actor = actorOf(req);
    if (!canRunAsks(actor))
      throw forbidden('Only GMCA triage staff (and admins) create and run Whitehall asks.');
    return actor;
  };

  async function visibleAsk(actor: Actor, rawId: unknown) {
    const id = parseOr400(askIdSchema, rawId, 'path.id');
    const a = await models.Ask.findOne({ _id: id, ...scopeFilter(actor) }).lean();
    if (!a) throw notFound(`There is no ask ${id} that you can see.`);
    return a;
  }

  async function fullAsk(a: AskDoc & { _id: string }) {
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
    return {
      ...askResource(a, evidence),
      barriers: a.barrierIds.flatMap((id) => {
        const b = barriers.find((x) => x._id === id);
        return b
          ? [
              {
                id: b._id,
                reference: b.reference,
                title: b.title,
                locality: b.locality,
                neighbourhood: b.neighbourhood,
                stage: b.stage,
                status: b.status,
              },
            ]
          : [];
      }),
      timeline: timeline.map((e) => ({
        seq: e.seq,
        at: iso(e.at),
        type: e.type,
        actor: e.actor,
        details: e.details as Record<string, unknown>,
      })),
    };
  }

  router.post('/', async (req, res) => {
    const actor = requireRunner(req);
    const body = parseOr400(newAskSchema, req.body, 'body');
    const view = await createAsk(deps, actor, body);
    const a = await models.Ask.findById(view.id).lean();
    if (!a) throw notFound(`The ask ${view.id} is not readable yet; try again shortly.`);
    res
      .status(201)
      .location(`/api/v1/asks/${a._id}`)
      .json(await fullAsk(a));
  });

  router.get('/', async (req, res) => {
    const actor = actorOf(req);
    const q = parseOr400(listAsksQuerySchema, req.query, 'query');
    const filter: Record<string, unknown> = { ...scopeFilter(actor) };
    if (q.department) filter.department = q.department;
    if (q.status) filter.status = q.status;
    if (q.outcome) filter.outcome = q.outcome;
    const asks = await models.Ask.find(filter).sort({ createdAt: -1 }).limit(1000).lean();
    if (q.format === 'csv') {
      const ev = (a: AskDoc) => (a.evidence ?? null) as AskEvidence | null;
      res
        .type('text/csv; charset=utf-8')
        .attachment('whitehall-asks.csv')
        .send(
          toCsv(
            [
              'Reference',
              'Title',
              'Department',
              'Status',
              'Outcome',
              'Barriers',
              'Barrier references',
              'Localities',
              'People affected',
              'Breaches',
              'Created',
              'Submitted',
              'Response due',
              'Responded',
              'Response',
            ],
            asks.map((a) => [
              a.reference,
              a.title,
              departmentName(a.department),
              a.status,
              a.outcome ?? '',
              a.barrierIds.length,
              a.barrierIds.join('; '),
              (ev(a)?.localities ?? []).join('; '),
              ev(a)?.peopleAffected ?? '',
              ev(a)?.breaches ?? '',
              iso(a.createdAt),
              iso(a.submittedAt),
              iso(a.dueAt),
              iso(a.respondedAt),
              a.response ?? '',
            ]),
          ),
        );
      return;
    }
    res.json({
      items: asks.map((a) => askResource(a, (a.evidence ?? null) as AskEvidence | null)),
    });
  });

  router.get('/:id', async (req, res) => {
    const a = await visibleAsk(actorOf(req), req.params.id);
    res.json(await fullAsk(a));
  });

  router.post('/:id/actions', async (req, res) => {
    const actor = requireRunner(req);
    const a = await visibleAsk(actor, req.params.id);
    const action = parseOr400(askActionSchema, req.body, 'body');
    try {
      if (action.type === 'add-barrier') {
        await addToAsk(deps, actor, a._id, action.barrierId, 'body.barrierId');
      } else {
        await actOnAsk(deps.client, a._id, action, actor);
      }
    } catch (err) {
      if (err instanceof AskActionRefused)
        throw unprocessable(`You cannot ${action.type} on ${a._id} now: ${err.message}.`);
      throw err;
    }
    const fresh = await models.Ask.findById(a._id).lean();
    res.json(await fullAsk(fresh ?? a));
  });

  return router;
}
