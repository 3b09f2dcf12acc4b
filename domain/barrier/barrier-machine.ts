/**
 * The barrier lifecycle as a pure state machine: stages, SLA clocks in working
 * time, pauses, warnings, breaches and every action's rules.
 *
 * The workflow owns one machine, feeds it the sandbox's clock and the answers
 * of activities (routing), and projects the events it records. Nothing here
 * does I/O, so every rule is unit-testable without Temporal.
 */
import { durationMs } from '../calendar/duration.ts';
import { addWorkingTime, workingTimeBetween, type CalendarName } from '../calendar/working-time.ts';
import type { Policy } from '../policy/policy.ts';
import type { Stage } from '../reference-data.ts';
import type { RaiseBarrier } from './schemas.ts';
import { escalationTarget, stateProblem, type ActionState } from './action-rules.ts';
import type {
  Actor,
  ApplyOutcome,
  AskNews,
  BarrierCommand,
  BarrierState,
  Clock,
  ClockKind,
  EmailRejected,
  ImportedFrom,
  MergedBarrier,
  Owner,
  SlaView,
  TickOutcome,
  TimelineEvent,
  TimelineEventType,
} from './types.ts';

/** Thrown (and mapped to 422 by callers) when an action is not allowed now. */
export class ActionRejected extends Error {
  override readonly name = 'ActionRejected';
}

/** The barrier state machine. Mutates `state` and buffers events for projection. */
export class BarrierMachine {
  /** Events recorded since the last `takeEvents()`. */
  private pending: TimelineEvent[] = [];

  constructor(public state: BarrierState) {}

  /** Starts a barrier at the neighbourhood stage and records `raised`. */
  static raise(input: {
    id: string;
    reference: string;
    details: RaiseBarrier;
    raisedBy: string;
    policy: Policy;
    now: number;
    /** Set when the barrier comes from a locality's existing log. */
    imported?: ImportedFrom;
  }): BarrierMachine {
    const { now, imported } = input;
    // An imported barrier keeps the day it was first logged; its clocks start now.
    const raisedAt = imported ? Math.min(imported.raisedOn, now) : now;
    const m = new BarrierMachine({
      id: input.id,
      reference: input.reference,
      details: input.details,
      raisedBy: input.raisedBy,
      raisedAt,
      policy: input.policy,
      stage: 'neighbourhood',
      status: 'open',
      cycle: 1,
      owner: null,
      stageEnteredAt: now,
      clocks: { acknowledge: newClock(0, now), resolve: newClock(0, now) },
      pause: null,
      closedAt: null,
      resolution: null,
      seq: 0,
    });
    m.enterStage('neighbourhood', now);
    m.record('raised', input.raisedBy, raisedAt, {
      title: input.details.title,
      locality: input.details.locality,
      neighbourhood: input.details.neighbourhood,
      category: input.details.category,
      policy: { id: input.policy.id, version: input.policy.version },
    });
    if (imported) {
      m.record('imported', imported.by, now, {
        source: imported.source,
        row: imported.row,
        importId: imported.importId,
        raisedOn: imported.raisedOn,
      });
      const { close } = imported;
      if (close) m.finish(close.status, imported.by, close.text, now, { imported: true });
    }
    return m;
  }

  get calendar(): CalendarName {
    return this.state.policy.calendar;
  }

  /** Returns and clears the events recorded since the last call. */
  takeEvents(): TimelineEvent[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** True while events wait to be projected. */
  hasPendingEvents(): boolean {
    return this.pending.length > 0;
  }

  private record(
    type: TimelineEventType,
    actor: string,
    at: number,
    details: Record<string, unknown> = {},
  ): void {
    this.state.seq += 1;
    this.pending.push({ seq: this.state.seq, at, type, stage: this.state.stage, actor, details });
  }

  private enterStage(stage: Stage, now: number): void {
    const targets = this.state.policy.stages[stage];
    this.state.stage = stage;
    this.state.stageEnteredAt = now;
    this.state.pause = null;
    this.state.clocks = {
      acknowledge: newClock(durationMs(targets.acknowledge, this.calendar), now),
      resolve: newClock(durationMs(targets.resolve, this.calendar), now),
    };
  }

  // ---- routing ------------------------------------------------------------

  /** Records the owner routing chose for the current stage. */
  assign(owner: Owner, now: number): void {
    this.state.owner = owner;
    this.record('routed', 'system', now, {
      owner: { email: owner.email, name: owner.name },
      reason: owner.reason,
    });
  }

  // ---- time ---------------------------------------------------------------

  /** The instant a running clock reaches `amountMs` of elapsed working time. */
  private instantAt(clock: Clock, amountMs: number): number | null {
    if (clock.runningSince === null || clock.stopped || clock.breached) return null;
    return addWorkingTime(
      this.calendar,
      clock.runningSince,
      Math.max(0, amountMs - clock.elapsedMs),
    );
  }

  private dueAt(clock: Clock): number | null {
    return this.instantAt(clock, clock.targetMs);
  }

  /** The next instant at which a warning or breach falls due, or null when no clock runs. */
  nextWakeAt(): number | null {
    if (this.state.status !== 'open') return null;
    let next: number | null = null;
    for (const clock of Object.values(this.state.clocks)) {
      const fraction = this.state.policy.warnAt[clock.warned];
      const at =
        fraction === undefined
          ? this.dueAt(clock)
          : this.instantAt(clock, fraction * clock.targetMs);
      if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }

  /** The next warning or breach a clock will fire, or null when it is not running. */
  private nextClockEvent(
    clock: Clock,
  ): { at: number; kind: 'warning' | 'breach'; fraction?: number } | null {
    const fraction = this.state.policy.warnAt[clock.warned];
    if (fraction !== undefined) {
      const at = this.instantAt(clock, fraction * clock.targetMs);
      return at === null ? null : { at, kind: 'warning', fraction };
    }
    const at = this.dueAt(clock);
    return at === null ? null : { at, kind: 'breach' };
  }

  /**
   * Fires every warning and breach due by `now`, in time order across both
   * clocks (a breach first when they coincide). A breach that escalates ends
   * the stage, so nothing more of it fires.
   */
  tick(now: number): TickOutcome {
    if (this.state.status !== 'open') return { escalateTo: null };
    for (;;) {
      let next: {
        kind: ClockKind;
        at: number;
        event: 'warning' | 'breach';
        fraction?: number;
      } | null = null;
      for (const kind of ['acknowledge', 'resolve'] as const) {
        const e = this.nextClockEvent(this.state.clocks[kind]);
        if (!e || e.at > now) continue;
        const better =
          !next ||
          e.at < next.at ||
          (e.at === next.at && e.kind === 'breach' && next.event !== 'breach');
        if (better) next = { kind, at: e.at, event: e.kind, fraction: e.fraction };
      }
      if (!next) return { escalateTo: null };
      const clock = this.state.clocks[next.kind];
      if (next.event === 'warning') {
        clock.warned += 1;
        this.record('warning', 'system', next.at, {
          clock: next.kind,
          fraction: next.fraction,
          dueAt: this.dueAt(clock),
          remainingMs: Math.round(clock.targetMs * (1 - (next.fraction ?? 0))),
          owner: this.state.owner?.email ?? null,
        });
        continue;
      }
      clock.elapsedMs = clock.targetMs;
      clock.runningSince = null;
      clock.breached = true;
      clock.breachedAt = next.at;
      this.record('breached', 'system', next.at, {
        clock: next.kind,
        dueAt: next.at,
        owner: this.state.owner?.email ?? null,
      });
      const escalateTo = escalationTarget(this.state.stage);
      if (escalateTo) return { escalateTo };
    }
  }

  /** Moves the barrier up the ladder; the caller then routes and calls {@link assign}. */
  escalate(to: Stage, actor: string, reason: string, automatic: boolean, now: number): void {
    const from = this.state.stage;
    const previousOwner = this.state.owner?.email ?? null;
    this.enterStage(to, now);
    this.state.owner = null;
    this.record('escalated', actor, now, { from, to, reason, automatic, previousOwner });
  }

  /** Records that an email about this barrier was refused for good (a bad address). */
  recordEmailRejected(rejection: EmailRejected, now: number): void {
    this.record('email-rejected', 'system', now, { ...rejection });
  }

  // ---- actions --------------------------------------------------------------

  /** The parts of the state that decide which actions it allows (see action-rules.ts). */
  actionState(): ActionState {
    const s = this.state;
    return {
      status: s.status,
      stage: s.stage,
      acknowledged: s.clocks.acknowledge.stopped,
      pauseReason: s.pause?.reason ?? null,
      reopenUntil: this.reopenUntil(),
    };
  }

  /** Why `command` is not allowed now, or undefined when it is. Pure: changes nothing. */
  problemWith(command: BarrierCommand, now: number): string | undefined {
    const problem = stateProblem(command.type, this.actionState(), now);
    if (problem) return problem;
    const s = this.state;
    switch (command.type) {
      case 'reassign':
        return s.owner?.email === command.to.email
          ? `${command.to.email} already owns this barrier`
          : undefined;
      case 'merge':
        return command.into === s.id ? 'a barrier cannot be merged into itself' : undefined;
      case 'link':
        if (command.with === s.id) return 'a barrier cannot be linked to itself';
        if ((s.links ?? []).includes(command.with))
          return `it is already linked to ${command.with}`;
        return undefined;
      case 'migrate-policy':
        return command.policy.id === s.policy.id && command.policy.version === s.policy.version
          ? `the barrier already follows policy ${s.policy.id} v${s.policy.version}`
          : undefined;
      default:
        return undefined;
    }
  }

  /** The last instant a closed barrier may be reopened (never for merged or closed ones). */
  reopenUntil(): number | null {
    if (this.state.closedAt === null) return null;
    if (this.state.status === 'merged' || this.state.status === 'closed') return null;
    return addWorkingTime(
      this.calendar,
      this.state.closedAt,
      durationMs(this.state.policy.reopenWindow, this.calendar),
    );
  }

  /**
   * Applies an allowed command. Returns what the workflow must do next:
   * route an owner for a new stage or cycle.
   * @throws {ActionRejected} when {@link problemWith} finds a problem.
   */
  apply(command: BarrierCommand, actor: Actor, now: number): ApplyOutcome {
    const problem = this.problemWith(command, now);
    if (problem) throw new ActionRejected(problem);
    const s = this.state;
    switch (command.type) {
      case 'comment':
        this.record('comment', actor.email, now, { text: command.text });
        return { needsRouting: false };
      case 'acknowledge': {
        const clock = s.clocks.acknowledge;
        clock.stopped = true;
        clock.runningSince = null;
        this.record('acknowledged', actor.email, now, command.note ? { note: command.note } : {});
        return { needsRouting: false };
      }
      case 'request-info':
        for (const clock of Object.values(s.clocks)) this.bank(clock, now);
        s.pause = { reason: command.reason, since: now, by: actor.email };
        this.record('info-requested', actor.email, now, {
          reason: command.reason,
          question: command.question,
        });
        return { needsRouting: false };
      case 'provide-info': {
        const since = s.pause?.since ?? now;
        const reason = s.pause?.reason ?? null;
        s.pause = null;
        for (const clock of Object.values(s.clocks)) {
          if (!clock.stopped && !clock.breached) clock.runningSince = now;
        }
        this.record('info-provided', actor.email, now, {
          response: command.response,
          reason,
          pausedMs: now - since,
        });
        return { needsRouting: false };
      }
      case 'reassign': {
        const from = s.owner?.email ?? null;
        s.owner = { ...command.to, reason: 'reassigned' };
        this.record('reassigned', actor.email, now, {
          from,
          to: command.to,
          reason: command.reason ?? null,
        });
        return { needsRouting: false };
      }
      case 'escalate': {
        const to = escalationTarget(s.stage);
        if (!to) throw new ActionRejected('nowhere to escalate to');
        this.escalate(to, actor.email, command.reason, false, now);
        return { needsRouting: true };
      }
      case 'resolve':
        this.finish('resolved', actor.email, command.resolution, now);
        return { needsRouting: false };
      case 'withdraw':
        this.finish('withdrawn', actor.email, command.reason, now);
        return { needsRouting: false };
      case 'reopen': {
        s.status = 'open';
        s.closedAt = null;
        s.resolution = null;
        s.cycle += 1;
        this.enterStage(s.stage, now);
        s.owner = null;
        this.record('reopened', actor.email, now, { reason: command.reason, cycle: s.cycle });
        return { needsRouting: true };
      }
      case 'accept': {
        s.owner = { ...command.owner, reason: 'gmca-accepted' };
        const ack = s.clocks.acknowledge;
        this.bank(ack, now);
        ack.stopped = true;
        const targetMs = durationMs(command.resolveTarget, this.calendar);
        s.clocks.resolve = newClock(targetMs, now);
        if (s.pause) s.clocks.resolve.runningSince = null;
        this.record('triaged', actor.email, now, {
          decision: 'accept',
          owner: command.owner,
          resolveTarget: command.resolveTarget,
        });
        return { needsRouting: false };
      }
      case 'return':
        this.enterStage('locality', now);
        s.owner = null;
        this.record('returned', actor.email, now, {
          from: 'gmca',
          to: 'locality',
          reason: command.reason,
        });
        return { needsRouting: true };
      case 'merge': {
        this.close('merged', now);
        s.mergedInto = command.into;
        this.record('merged', actor.email, now, {
          direction: 'into',
          into: command.into,
          reason: command.reason ?? null,
        });
        return {
          needsRouting: false,
          tell: {
            barrierId: command.into,
            news: {
              type: 'absorb',
              merged: {
                id: s.id,
                reference: s.reference,
                locality: s.details.locality,
                raisers: this.raisers(),
              },
            },
          },
        };
      }
      case 'link':
        s.links = [...(s.links ?? []), command.with];
        this.record('linked', actor.email, now, { with: command.with });
        return {
          needsRouting: false,
          tell: { barrierId: command.with, news: { type: 'linked', with: s.id } },
        };
      case 'promote':
        this.enterStage('whitehall', now);
        // The ask's response date governs from here, not the barrier's own clocks.
        for (const clock of Object.values(s.clocks)) {
          clock.stopped = true;
          clock.runningSince = null;
        }
        s.askId = command.askId;
        this.record('promoted', actor.email, now, { askId: command.askId });
        return { needsRouting: false };
      case 'migrate-policy': {
        const from = { id: s.policy.id, version: s.policy.version };
        s.policy = command.policy;
        const targets = command.policy.stages[s.stage];
        for (const kind of ['acknowledge', 'resolve'] as const) {
          const clock = s.clocks[kind];
          this.bank(clock, now);
          clock.targetMs = durationMs(targets[kind], this.calendar);
          // Fractions already passed under the new target are not warned again.
          clock.warned = command.policy.warnAt.filter(
            (f) => f * clock.targetMs <= clock.elapsedMs,
          ).length;
          if (!clock.stopped && !clock.breached && !s.pause) clock.runningSince = now;
        }
        this.record('policy-migrated', actor.email, now, {
          from,
          to: { id: command.policy.id, version: command.policy.version },
        });
        return { needsRouting: false };
      }
    }
  }

  // ---- news from other workflows ---------------------------------------------

  /** Everyone who raised this barrier or one merged into it. */
  raisers(): string[] {
    return [this.state.raisedBy, ...(this.state.raisers ?? [])];
  }

  /** Another barrier was merged into this one: its raisers and timeline join here. */
  absorb(merged: MergedBarrier, now: number): void {
    const s = this.state;
    const known = new Set(this.raisers());
    s.raisers = [...(s.raisers ?? []), ...merged.raisers.filter((r) => !known.has(r))];
    s.mergedFrom = [...(s.mergedFrom ?? []), merged.id];
    this.record('merged', 'system', now, {
      direction: 'from',
      from: merged.id,
      fromReference: merged.reference,
      fromLocality: merged.locality,
      raisers: merged.raisers,
    });
  }

  /** Another barrier linked itself to this one. */
  linkedBy(other: string, now: number): void {
    const s = this.state;
    if ((s.links ?? []).includes(other)) return;
    s.links = [...(s.links ?? []), other];
    this.record('linked', 'system', now, { with: other });
  }

  /** What the bundling ask did: submitted, chased, answered, or let the barrier go. */
  askNews(news: AskNews, now: number): void {
    const s = this.state;
    if (s.askId !== news.askId) return;
    switch (news.type) {
      case 'submitted':
        this.record('ask-submitted', 'system', now, { askId: news.askId, dueAt: news.dueAt });
        return;
      case 'chased':
        this.record('ask-chased', 'system', now, {
          askId: news.askId,
          chaser: news.chaser,
          automatic: news.automatic,
        });
        return;
      case 'removed':
        s.askId = null;
        if (s.status === 'open') this.enterStage('gmca', now);
        this.record('removed-from-ask', 'system', now, { askId: news.askId, reason: news.reason });
        return;
      case 'outcome':
        this.record('ask-outcome', 'system', now, {
          askId: news.askId,
          outcome: news.outcome,
          response: news.response,
        });
        s.askId = null;
        if (s.status !== 'open') return;
        if (news.outcome === 'agreed') {
          this.close('closed', now);
          s.resolution = news.response;
          this.record('closed', 'system', now, {
            reason: `Whitehall agreed the ask ${news.askId}`,
          });
        } else {
          // Back to GMCA for a decision, with fresh gmca clocks.
          this.enterStage('gmca', now);
        }
        return;
    }
  }

  /** Moves a running clock's time into `elapsedMs` and stops it running. */
  private bank(clock: Clock, now: number): void {
    if (clock.runningSince !== null) {
      clock.elapsedMs += workingTimeBetween(this.calendar, clock.runningSince, now);
      clock.runningSince = null;
    }
  }

  /**
   * Resolves (keeping the resolution) or withdraws (with its reason), and
   * records it; `extra` adds to the event's details.
   */
  private finish(
    status: 'resolved' | 'withdrawn',
    by: string,
    text: string,
    now: number,
    extra: Record<string, unknown> = {},
  ): void {
    this.close(status, now);
    if (status === 'resolved') {
      this.state.resolution = text;
      this.record('resolved', by, now, { resolution: text, ...extra });
    } else {
      this.record('withdrawn', by, now, { reason: text, ...extra });
    }
  }

  private close(status: 'resolved' | 'withdrawn' | 'merged' | 'closed', now: number): void {
    for (const clock of Object.values(this.state.clocks)) {
      this.bank(clock, now);
      clock.stopped = true;
    }
    this.state.pause = null;
    this.state.status = status;
    this.state.closedAt = now;
  }

  // ---- views ----------------------------------------------------------------

  /** The SLA as the read model and API show it. */
  sla(): SlaView {
    const { clocks, pause, stage } = this.state;
    const acknowledgeDueAt = this.dueAt(clocks.acknowledge);
    const resolveDueAt = this.dueAt(clocks.resolve);
    const dues = [acknowledgeDueAt, resolveDueAt].filter((d): d is number => d !== null);
    const breached = clocks.acknowledge.breached || clocks.resolve.breached;
    const breachedAts = [clocks.acknowledge, clocks.resolve]
      .map((c) => (c.breached ? (c.breachedAt ?? null) : null))
      .filter((t): t is number => t !== null);
    return {
      stage,
      calendar: this.calendar,
      acknowledgeDueAt,
      resolveDueAt,
      paused: pause !== null,
      pauseReason: pause?.reason ?? null,
      breached,
      atRisk:
        !breached &&
        (clocks.acknowledge.warned > 0 || clocks.resolve.warned > 0) &&
        this.state.status === 'open',
      nextDeadlineAt: dues.length > 0 ? Math.min(...dues) : null,
      overdueSince: breachedAts.length > 0 ? Math.min(...breachedAts) : null,
    };
  }
}

function newClock(targetMs: number, now: number): Clock {
  return { targetMs, elapsedMs: 0, runningSince: now, stopped: false, warned: 0, breached: false };
}
