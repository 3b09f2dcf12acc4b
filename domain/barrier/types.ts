/**
 * The barrier's plain types: its state, its timeline, who acts on it and what
 * the machine answers. Kept apart from the machine so that the rules beside it
 * (access, action rules) and every layer above can name them without importing
 * the machine.
 */
import type { CalendarName } from '../calendar/working-time.ts';
import type { Policy } from '../policy/policy.ts';
import type { PauseReason, Role, Stage } from '../reference-data.ts';
import type { BarrierActionRequest, PersonRef, RaiseBarrier } from './schemas.ts';

export const BARRIER_STATUSES = ['open', 'resolved', 'withdrawn', 'merged', 'closed'] as const;
export type BarrierStatus = (typeof BARRIER_STATUSES)[number];

/** Timeline event types, in the order a barrier usually meets them. */
export const TIMELINE_EVENT_TYPES = [
  'raised',
  'imported',
  'routed',
  'acknowledged',
  'comment',
  'info-requested',
  'info-provided',
  'reassigned',
  'warning',
  'breached',
  'escalated',
  'resolved',
  'withdrawn',
  'reopened',
  'policy-migrated',
  'email-rejected',
  'triaged',
  'returned',
  'merged',
  'linked',
  'promoted',
  'removed-from-ask',
  'ask-submitted',
  'ask-chased',
  'ask-outcome',
  'closed',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

export type ClockKind = 'acknowledge' | 'resolve';

/** One SLA clock. Elapsed time is banked at each pause; `runningSince` is null while stopped. */
export interface Clock {
  targetMs: number;
  elapsedMs: number;
  runningSince: number | null;
  /** Acknowledged (for the acknowledge clock) or closed. */
  stopped: boolean;
  /** How many of the policy's warning fractions have fired. */
  warned: number;
  breached: boolean;
  /** When it breached (absent in states carried from before this was recorded). */
  breachedAt?: number | null;
}

/** Who acts: the claims of a token or session. */
export interface Actor {
  email: string;
  role: Role;
  locality?: string;
  neighbourhood?: string;
}

/** Where an imported barrier came from, and how it arrives. */
export interface ImportedFrom {
  /** The import (its id) and the file and row the barrier came from. */
  importId: string;
  source: string;
  row: number;
  /** Who imported it. */
  by: string;
  /** The day it was first logged (its `raisedAt`). */
  raisedOn: number;
  /** A row that was already resolved or withdrawn arrives closed, without emails. */
  close?: { status: 'resolved' | 'withdrawn'; text: string };
  /** The directory person who owns it now, when the row names one (routing is skipped). */
  owner?: PersonRef;
}

/** Who owns the barrier at its current stage, and why routing chose them. */
export interface Owner extends PersonRef {
  reason: string;
}

/** An email a barrier called for that the relay refused for good: put on its timeline. */
export interface EmailRejected {
  to: string;
  kind: string;
  reason: string;
}

/** One entry of the ordered timeline. */
export interface TimelineEvent {
  seq: number;
  /** epoch ms */
  at: number;
  type: TimelineEventType;
  stage: Stage;
  /** An email, or `system`. */
  actor: string;
  details: Record<string, unknown>;
}

/** The complete, serialisable state of one barrier. */
export interface BarrierState {
  id: string;
  reference: string;
  details: RaiseBarrier;
  raisedBy: string;
  raisedAt: number;
  policy: Policy;
  stage: Stage;
  status: BarrierStatus;
  cycle: number;
  owner: Owner | null;
  stageEnteredAt: number;
  clocks: Record<ClockKind, Clock>;
  pause: { reason: PauseReason; since: number; by: string } | null;
  closedAt: number | null;
  resolution: string | null;
  /** The seq of the last recorded event. */
  seq: number;
  /** Raisers of barriers merged into this one (absent in older states). */
  raisers?: string[];
  /** The barrier this one was merged into. */
  mergedInto?: string | null;
  /** Barriers merged into this one. */
  mergedFrom?: string[];
  /** Related barriers, both open. */
  links?: string[];
  /** The Whitehall ask bundling this barrier (stage `whitehall`). */
  askId?: string | null;
}

/** What a Whitehall ask tells the barriers it bundles. */
export type AskNews =
  | { type: 'removed'; askId: string; reason: string }
  | { type: 'submitted'; askId: string; dueAt: number }
  | { type: 'chased'; askId: string; chaser: number; automatic: boolean }
  | { type: 'outcome'; askId: string; outcome: AskOutcome; response: string };

export const ASK_OUTCOMES = ['agreed', 'partially-agreed', 'declined', 'no-response'] as const;
export type AskOutcome = (typeof ASK_OUTCOMES)[number];

/** A barrier merged into another: what the survivor takes over. */
export interface MergedBarrier {
  id: string;
  reference: string;
  locality: string;
  raisers: string[];
}

/** What the workflow must do after an action, beyond projecting. */
export interface ApplyOutcome {
  /** Route an owner for a new stage or cycle. */
  needsRouting: boolean;
  /** Tell another barrier: it absorbed this one, or was linked to it. */
  tell?: {
    barrierId: string;
    news: { type: 'absorb'; merged: MergedBarrier } | { type: 'linked'; with: string };
  };
}

/** What the workflow is given to run an action: the request with look-ups done. */
export type BarrierCommand =
  | Exclude<
      BarrierActionRequest,
      { type: 'reassign' | 'migrate-policy' | 'accept' | 'merge' | 'link' | 'promote' }
    >
  | { type: 'reassign'; to: PersonRef; reason?: string }
  | { type: 'migrate-policy'; policy: Policy }
  | { type: 'accept'; owner: PersonRef; resolveTarget: string }
  | { type: 'return'; reason: string }
  | { type: 'merge'; into: string; reason?: string }
  | { type: 'link'; with: string }
  | { type: 'promote'; askId: string };

/** The SLA as people see it. */
export interface SlaView {
  stage: Stage;
  calendar: CalendarName;
  acknowledgeDueAt: number | null;
  resolveDueAt: number | null;
  paused: boolean;
  pauseReason: PauseReason | null;
  breached: boolean;
  atRisk: boolean;
  nextDeadlineAt: number | null;
  /** The earliest breach of this stage's clocks: how long it has been overdue. */
  overdueSince: number | null;
}

/** Things that came due when time moved on. */
export interface TickOutcome {
  /** A breach at neighbourhood or locality stage: the workflow must escalate. */
  escalateTo: Stage | null;
}
