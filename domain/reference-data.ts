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

/** UK ministerial departments a Whitehall ask may go to, by slug. */
export const DEPARTMENTS = {
  mhclg: 'Ministry of Housing, Communities and Local Government',
  dwp: 'Department for Work and Pensions',
  dhsc: 'Department of Health and Social Care',
  dfe: 'Department for Education',
  'home-office': 'Home Office',
  moj: 'Ministry of Justice',
  'hm-treasury': 'HM Treasury',
  dft: 'Department for Transport',
  desnz: 'Department for Energy Security and Net Zero',
  'cabinet-office': 'Cabinet Office',
  dsit: 'Department for Science, Innovation and Technology',
  dbt: 'Department for Business and Trade',
  dcms: 'Department for Culture, Media and Sport',
  defra: 'Department for Environment, Food and Rural Affairs',
} as const;
export type Department = keyof typeof DEPARTMENTS;
export const DEPARTMENT_SLUGS = Object.keys(DEPARTMENTS) as Department[];

/** A department's name from its slug (the slug itself for one no longer listed). */
export const departmentName = (slug: string): string =>
  (DEPARTMENTS as Record<string, string>)[slug] ?? slug;
