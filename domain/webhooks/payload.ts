/**
 * What a webhook's body says: the Standard Webhooks envelope (`type`,
 * `timestamp`, `data`) around the event, the barrier in its one public shape
 * (../barrier/public-shape.ts) or the ask as the API gives it to an admin
 * (api/representations.ts; a unit test holds that shape to the API's), and a
 * link to its page.
 */
import { iso, type PublicBarrier, type When } from '../barrier/public-shape.ts';
import { departmentName } from '../reference-data.ts';
import type { WebhookEventType } from './events.ts';

/** An ask's read-model document, as far as its API shape reads it. */
export interface AskSource {
  _id: string;
  reference: string;
  title: string;
  department: string;
  ask: string;
  status: string;
  owner: unknown;
  createdBy: string;
  createdAt: When;
  barrierIds: readonly string[];
  submittedAt?: When;
  dueAt?: When;
  chasers?: unknown;
  nextChaseAt?: When;
  outcome?: string | null;
  response?: string | null;
  respondedAt?: When;
  evidence?: unknown;
}

/** An ask as the API returns it in a list (api/representations.ts `askResource`). */
export function askForWebhook(a: AskSource) {
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
    barrierIds: [...a.barrierIds],
    submittedAt: iso(a.submittedAt),
    responseDueAt: iso(a.dueAt),
    chasers: a.chasers,
    nextChaseAt: iso(a.nextChaseAt),
    outcome: a.outcome ?? null,
    response: a.response ?? null,
    respondedAt: iso(a.respondedAt),
    evidence: a.evidence ?? null,
  };
}

/** The event as it happened. */
export interface WebhookEventFacts {
  seq: number;
  at: number;
  /** The timeline's own name for it (`info-requested`, `ask-outcome`, …). */
  kind: string;
  actor: string;
  details: Record<string, unknown>;
}

/** The body of a webhook: JSON, the same bytes on every attempt. */
export function webhookBody(
  type: WebhookEventType,
  event: WebhookEventFacts,
  subject: { barrier: PublicBarrier } | { ask: ReturnType<typeof askForWebhook> },
  link: string,
): string {
  return JSON.stringify({
    type,
    timestamp: new Date(event.at).toISOString(),
    data: {
      event: {
        seq: event.seq,
        at: new Date(event.at).toISOString(),
        kind: event.kind,
        actor: event.actor,
        details: event.details,
      },
      ...subject,
      link,
    },
  });
}
