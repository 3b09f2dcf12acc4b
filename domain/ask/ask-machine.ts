/**
 * A Whitehall ask as a pure state machine: a draft bundles barriers; once
 * submitted a response is due after the policy's `whitehall` resolve target
 * (working days in the policy's calendar); unanswered, it is chased on the
 * policy's cadence and after the last chaser its outcome is `no-response`.
 *
 * The workflow feeds it time and commands, tells bundled barriers what it
 * reports in `news`, and projects its events.
 */
import { durationMs } from '../calendar/duration.ts';
import { addWorkingTime, type CalendarName } from '../calendar/working-time.ts';
import type { Actor, AskNews, AskOutcome } from '../barrier/types.ts';
import type { Policy } from '../policy/policy.ts';
import { askFinished, askStateProblem, type AskStatus } from './action-rules.ts';

export { ASK_STATUSES, type AskStatus } from './action-rules.ts';

export const ASK_EVENT_TYPES = [
  'created',
  'barrier-added',
  'barrier-removed',
  'ask-submitted',
  'ask-chased',
  'ask-outcome',
  'withdrawn',
  'email-rejected',
] as const;
export type AskEventType = (typeof ASK_EVENT_TYPES)[number];

export interface AskEvent {
  seq: number;
  at: number;
  type: AskEventType;
  actor: string;
  details: Record<string, unknown>;
}

export interface AskState extends Omit<NewAskInput, 'policy'> {
  createdAt: number;
  status: AskStatus;
  calendar: CalendarName;
  /** The policy's `whitehall` resolve target: how long government has to answer. */
  responseTarget: string;
  chaseEvery: string;
  maxChasers: number;
  submittedAt: number | null;
  dueAt: number | null;
  /** Automatic chasers sent so far. */
  chasers: number;
  /** When the next automatic chaser (or, after the last, `no-response`) falls due. */
  nextChaseAt: number | null;
  outcome: AskOutcome | null;
  response: string | null;
  respondedAt: number | null;
  seq: number;
}

/** What people ask an ask to do (with look-ups done by the API). */
export type AskCommand =
  | { type: 'add-barrier'; barrierId: string }
  | { type: 'remove-barrier'; barrierId: string }
  | { type: 'submit' }
  | { type: 'chase'; note?: string }
  | { type: 'record-response'; outcome: Exclude<AskOutcome, 'no-response'>; response: string }
  | { type: 'withdraw'; reason: string };

/** News for the bundled barriers, each to be told. */
export interface AskNewsFor {
  barrierIds: string[];
  news: AskNews;
}

/** What a new ask starts from; its policy is pinned for its whole life. */
export interface NewAskInput {
  id: string;
  reference: string;
  title: string;
  department: string;
  ask: string;
  createdBy: string;
  /** The GMCA owner: told of chasers and the outcome. */
  owner: { email: string; name: string };
  barrierIds: string[];
  policy: Policy;
}

export class AskMachine {
  private pending: AskEvent[] = [];
  private outbox: AskNewsFor[] = [];

  constructor(public state: AskState) {}

  static create(input: NewAskInput & { now: number }): AskMachine {
    const m = new AskMachine({
      id: input.id,
      reference: input.reference,
      title: input.title,
      department: input.department,
      ask: input.ask,
      createdBy: input.createdBy,
      owner: input.owner,
      createdAt: input.now,
      status: 'draft',
      barrierIds: [...input.barrierIds],
      calendar: input.policy.calendar,
      responseTarget: input.policy.stages.whitehall.resolve,
      chaseEvery: input.policy.asks.chaseEvery,
      maxChasers: input.policy.asks.maxChasers,
      submittedAt: null,
      dueAt: null,
      chasers: 0,
      nextChaseAt: null,
      outcome: null,
      response: null,
      respondedAt: null,
      seq: 0,
    });
    m.record('created', input.createdBy, input.now, {
      title: input.title,
      department: input.department,
      barrierIds: input.barrierIds,
    });
    return m;
  }

  takeEvents(): AskEvent[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** News for bundled barriers since the last call. */
  takeNews(): AskNewsFor[] {
    const out = this.outbox;
    this.outbox = [];
    return out;
  }

  private record(type: AskEventType, actor: string, at: number, details: Record<string, unknown>) {
    this.state.seq += 1;
    this.pending.push({ seq: this.state.seq, at, type, actor, details });
  }

  private tell(news: AskNews, barrierIds = this.state.barrierIds) {
    if (barrierIds.length > 0) this.outbox.push({ barrierIds: [...barrierIds], news });
  }

  private after(from: number, iso: string): number {
    return addWorkingTime(this.state.calendar, from, durationMs(iso, this.state.calendar));
  }

  /** True while nothing more can happen to it. */
  get finished(): boolean {
    return askFinished(this.state.status);
  }

  /** When the workflow must wake next, or null. */
  nextWakeAt(): number | null {
    return this.state.status === 'submitted' ? this.state.nextChaseAt : null;
  }

  problemWith(command: AskCommand): string | undefined {
    const s = this.state;
    if (command.type === 'add-barrier' && s.barrierIds.includes(command.barrierId))
      return `${command.barrierId} is already in this ask`;
    if (command.type === 'remove-barrier' && !s.barrierIds.includes(command.barrierId))
      return `${command.barrierId} is not in this ask`;
    return askStateProblem(command.type, { status: s.status, barriers: s.barrierIds.length });
  }

  apply(command: AskCommand, actor: Actor, now: number): void {
    const problem = this.problemWith(command);
    if (problem) throw new AskActionRejected(problem);
    const s = this.state;
    switch (command.type) {
      case 'add-barrier':
        s.barrierIds.push(command.barrierId);
        this.record('barrier-added', actor.email, now, { barrierId: command.barrierId });
        return;
      case 'remove-barrier':
        s.barrierIds = s.barrierIds.filter((b) => b !== command.barrierId);
        this.record('barrier-removed', actor.email, now, { barrierId: command.barrierId });
        this.tell({ type: 'removed', askId: s.id, reason: `removed from ask ${s.reference}` }, [
          command.barrierId,
        ]);
        return;
      case 'submit': {
        s.status = 'submitted';
        s.submittedAt = now;
        s.dueAt = this.after(now, s.responseTarget);
        s.nextChaseAt = s.dueAt;
        this.record('ask-submitted', actor.email, now, { dueAt: s.dueAt });
        this.tell({ type: 'submitted', askId: s.id, dueAt: s.dueAt });
        return;
      }
      case 'chase':
        this.record('ask-chased', actor.email, now, {
          automatic: false,
          note: command.note ?? null,
        });
        this.tell({ type: 'chased', askId: s.id, chaser: s.chasers, automatic: false });
        return;
      case 'record-response':
        this.answer(command.outcome, command.response, actor.email, now);
        return;
      case 'withdraw':
        s.status = 'withdrawn';
        s.nextChaseAt = null;
        this.record('withdrawn', actor.email, now, { reason: command.reason });
        this.tell({ type: 'removed', askId: s.id, reason: `ask ${s.reference} was withdrawn` });
        return;
    }
  }

  /** Sends the chasers and records `no-response` that fell due by `now`. */
  tick(now: number): void {
    const s = this.state;
    while (s.status === 'submitted' && s.nextChaseAt !== null && s.nextChaseAt <= now) {
      const at = s.nextChaseAt;
      if (s.chasers < s.maxChasers) {
        s.chasers += 1;
        s.nextChaseAt = this.after(at, s.chaseEvery);
        this.record('ask-chased', 'system', at, { automatic: true, chaser: s.chasers });
        this.tell({ type: 'chased', askId: s.id, chaser: s.chasers, automatic: true });
      } else {
        this.answer('no-response', '', 'system', at);
      }
    }
  }

  private answer(outcome: AskOutcome, response: string, actor: string, now: number) {
    const s = this.state;
    s.status = 'answered';
    s.outcome = outcome;
    s.response = response || null;
    s.respondedAt = now;
    s.nextChaseAt = null;
    this.record('ask-outcome', actor, now, { outcome, response: response || null });
    this.tell({ type: 'outcome', askId: s.id, outcome, response });
  }

  recordEmailRejected(rejection: { to: string; kind: string; reason: string }, now: number) {
    this.record('email-rejected', 'system', now, { ...rejection });
  }
}

/** Thrown (422 at the API) when the ask's state does not allow a command now. */
export class AskActionRejected extends Error {
  override readonly name = 'AskActionRejected';
}
