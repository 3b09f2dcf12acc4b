/**
 * SLA policies: stages, targets and thresholds as data, validated by zod.
 *
 * A barrier pins the whole policy document it started with, so a later
 * version changes nothing for it unless an admin migrates it explicitly.
 */
import {
  calendarName,
  listInWords,
  sentence,
  stageName,
  targetChangeInWords,
} from '../format/index.ts';
import { z } from 'zod';
import {
  DURATION_PATTERN,
  durationLimitProblem,
  durationMs,
  durationProblem,
} from '../calendar/duration.ts';
import { CALENDARS, addWorkingTime } from '../calendar/working-time.ts';

/** An ISO 8601 duration, measured in the policy's calendar. */
export const isoDurationSchema = z
  .string()
  .superRefine((v, ctx) => {
    const problem = durationProblem(v) ?? durationLimitProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    description:
      'An ISO 8601 duration (P10D, PT4H, P1W) in the policy’s calendar: a working day is 8 hours. At most 260 weeks (five years).',
    pattern: DURATION_PATTERN.source,
  });
const duration = isoDurationSchema;

const stageTargets = z.strictObject({
  /** How long the owner has to acknowledge the barrier at this stage. */
  acknowledge: duration,
  /** How long the owner has to resolve it before it escalates. */
  resolve: duration,
});

/** The policy document. */
export const policySchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, 'must be 1–40 lowercase letters, digits or hyphens')
      .default('default'),
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(200),
    calendar: z.enum(CALENDARS),
    /** Fractions of a target at which the owner is warned, ascending, each in (0, 1). */
    warnAt: z
      .array(z.number().gt(0, 'must be above 0').lt(1, 'must be below 1'))
      .max(5)
      .default([0.5, 0.8])
      .refine(
        (a) => a.every((v, i) => i === 0 || v > (a[i - 1] ?? 0)),
        'must be in ascending order',
      ),
    /** How long after resolution or withdrawal a barrier may be reopened. */
    reopenWindow: duration,
    stages: z.strictObject({
      neighbourhood: stageTargets,
      locality: stageTargets,
      gmca: stageTargets,
      whitehall: stageTargets,
    }),
    /** Whitehall asks: chasers after the response is due. */
    asks: z
      .strictObject({ chaseEvery: duration, maxChasers: z.number().int().min(0).max(10) })
      .default({ chaseEvery: 'P5D', maxChasers: 3 }),
  })
  .describe('An SLA policy: per-stage acknowledge and resolve targets in a working-time calendar.');

export type Policy = z.infer<typeof policySchema>;
/** The policy as written, before defaults are filled in. */
export type PolicyInput = z.input<typeof policySchema>;

/** The default policy: working hours in England & Wales. */
export const DEFAULT_POLICY: Policy = policySchema.parse({
  id: 'default',
  version: 1,
  name: 'Greater Manchester default escalation policy',
  calendar: 'working-hours-england-and-wales',
  warnAt: [0.5, 0.8],
  reopenWindow: 'P10D',
  stages: {
    neighbourhood: { acknowledge: 'P1D', resolve: 'P10D' },
    locality: { acknowledge: 'P1D', resolve: 'P10D' },
    gmca: { acknowledge: 'P2D', resolve: 'P20D' },
    whitehall: { acknowledge: 'P5D', resolve: 'P20D' },
  },
  asks: { chaseEvery: 'P5D', maxChasers: 3 },
});

/** Thrown when a policy document is invalid; the message names the field. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

/** Validates a policy document, naming the first bad field and the reason. */
export function parsePolicy(doc: unknown, source = 'policy'): Policy {
  const parsed = policySchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(root)';
    throw new PolicyError(`${source}: ${field} ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

/** When a barrier raised at `now` under `policy` would be due at each stage it enters on time. */
export function previewTargets(policy: Policy, now: number) {
  const due = (iso: string) =>
    addWorkingTime(policy.calendar, now, durationMs(iso, policy.calendar));
  return {
    acknowledgeBy: due(policy.stages.neighbourhood.acknowledge),
    resolveBy: due(policy.stages.neighbourhood.resolve),
  };
}

/**
 * What differs between two versions, in words: "Resolve target at GMCA: 20
 * working days → 15", "Warnings at: 50% and 80% → 60% and 90%".
 */
export function targetChanges(from: Policy, to: Policy): string[] {
  const out: string[] = [];
  for (const stage of ['neighbourhood', 'locality', 'gmca', 'whitehall'] as const) {
    for (const target of ['acknowledge', 'resolve'] as const) {
      const a = from.stages[stage][target];
      const b = to.stages[stage][target];
      if (a !== b)
        out.push(
          `${sentence(target)} target at ${stageName(stage)}: ${targetChangeInWords(a, b, to.calendar)}`,
        );
    }
  }
  if (from.calendar !== to.calendar)
    out.push(`Calendar: ${calendarName(from.calendar)} → ${calendarName(to.calendar)}`);
  const shares = (w: number[]) => listInWords(w.map((x) => `${Math.round(x * 100)}%`));
  if (from.warnAt.join() !== to.warnAt.join())
    out.push(`Warnings at: ${shares(from.warnAt)} → ${shares(to.warnAt)}`);
  return out;
}
