/**
 * The actions a barrier accepts, by name. Kept apart from `schemas.ts` so
 * that workflow code can use them without bundling zod: the workflow sandbox
 * evaluates every module it imports once per workflow it creates, and
 * building zod's schemas there cost several milliseconds of worker CPU per
 * barrier (the benchmark's profile).
 */
export const BARRIER_ACTION_TYPES = [
  'acknowledge',
  'comment',
  'request-info',
  'provide-info',
  'reassign',
  'escalate',
  'resolve',
  'withdraw',
  'reopen',
  'migrate-policy',
  'accept',
  'return',
  'merge',
  'link',
  'promote',
] as const;

export type BarrierActionType = (typeof BARRIER_ACTION_TYPES)[number];

/** Decisions only GMCA staff (and admins) take. */
export const TRIAGE_ACTION_TYPES: readonly BarrierActionType[] = [
  'accept',
  'return',
  'merge',
  'link',
  'promote',
];
