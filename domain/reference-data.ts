/**
 * The fixed vocabularies of Golden Thread: localities, stages, categories,
 * focus areas and the Greater Manchester Model's features.
 */

/** Greater Manchester's ten localities (council areas), by slug. */
export const LOCALITIES = [
  'bolton',
  'bury',
  'manchester',
  'oldham',
  'rochdale',
  'salford',
  'stockport',
  'tameside',
  'trafford',
  'wigan',
] as const;
export type Locality = (typeof LOCALITIES)[number];

/** The escalation ladder, lowest first. */
export const STAGES = ['neighbourhood', 'locality', 'gmca', 'whitehall'] as const;
export type Stage = (typeof STAGES)[number];

/** What kind of thing blocks integrated services. */
export const CATEGORIES = [
  'data-sharing',
  'funding',
  'workforce',
  'regulation',
  'estates',
  'commissioning',
  'digital',
  'governance',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Public service reform focus areas a barrier may sit under. */
export const FOCUS_AREAS = [
  'rough-sleeping',
  'affordable-housing',
  'prevention',
  'health-inclusion',
  'early-years',
  'work-and-skills',
  'community-safety',
  'ageing-well',
  'mental-health',
] as const;
export type FocusArea = (typeof FOCUS_AREAS)[number];

/** The six features of the Greater Manchester Model of unified public services. */
export const GM_MODEL_FEATURES = [
  'geography',
  'leadership-and-accountability',
  'integrated-teams',
  'shared-information',
  'workforce',
  'tackling-barriers-and-devolution',
] as const;
export type GmModelFeature = (typeof GM_MODEL_FEATURES)[number];

/** Why an SLA clock is paused. */
export const PAUSE_REASONS = [
  'awaiting-information',
  'awaiting-third-party',
  'awaiting-decision',
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** The roles a person acts in. */
export const ROLES = ['locality-lead', 'neighbourhood-lead', 'gmca-triage', 'admin'] as const;
export type Role = (typeof ROLES)[number];
