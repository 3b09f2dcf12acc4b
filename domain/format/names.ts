/**
 * The names people use for Golden Thread's vocabularies: roles, stages,
 * statuses, outcomes, categories, pause reasons, timeline events, actions
 * and departments. Each is written as it reads mid-sentence ("locality lead",
 * "GMCA"); `sentence()` capitalises one to start a sentence or a cell.
 */
import { departmentName as department } from '../reference-data.ts';

/** A capital first letter: "locality lead" → "Locality lead". */
export const sentence = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A slug as words when no vocabulary names it: `data-sharing` → `data sharing`. */
const words = (slug: string): string => slug.replace(/-/g, ' ').replace(/\bgmca\b/gi, 'GMCA');

const from =
  (names: Record<string, string>) =>
  (value: string | null | undefined): string =>
    value ? (names[value] ?? words(value)) : '';

export const roleName = from({
  'locality-lead': 'locality lead',
  'neighbourhood-lead': 'neighbourhood lead',
  'gmca-triage': 'GMCA triage',
  admin: 'administrator',
});

export const stageName = from({
  neighbourhood: 'neighbourhood',
  locality: 'locality',
  gmca: 'GMCA',
  whitehall: 'Whitehall',
});

export const statusName = from({
  open: 'open',
  resolved: 'resolved',
  withdrawn: 'withdrawn',
  merged: 'merged',
  closed: 'closed',
});

export const askStatusName = from({
  draft: 'draft',
  submitted: 'submitted',
  answered: 'answered',
  withdrawn: 'withdrawn',
});

export const outcomeName = from({
  agreed: 'agreed',
  'partially-agreed': 'partially agreed',
  declined: 'declined',
  'no-response': 'no response',
});

export const categoryName = from({ 'data-sharing': 'data sharing' });
export const focusAreaName = from({ 'work-and-skills': 'work and skills' });

export const pauseReasonName = from({
  'awaiting-information': 'awaiting information',
  'awaiting-third-party': 'awaiting a third party',
  'awaiting-decision': 'awaiting a decision',
});

export const calendarName = from({
  'working-hours-england-and-wales':
    'working hours (9am to 5pm, Monday to Friday, not bank holidays)',
  '24x7': 'every hour of every day',
});

/** What happened, as a timeline's heading says it. */
export const eventName = from({
  raised: 'raised',
  imported: 'imported',
  routed: 'routed to an owner',
  acknowledged: 'acknowledged',
  comment: 'comment',
  'info-requested': 'information requested',
  'info-provided': 'information provided',
  reassigned: 'reassigned',
  warning: 'deadline warning',
  breached: 'deadline missed',
  escalated: 'escalated',
  resolved: 'resolved',
  withdrawn: 'withdrawn',
  reopened: 'reopened',
  'policy-migrated': 'moved to another SLA policy version',
  'email-rejected': 'an email could not be delivered',
  triaged: 'accepted by GMCA',
  returned: 'returned to the locality',
  merged: 'merged',
  linked: 'linked to a related barrier',
  promoted: 'promoted to a Whitehall ask',
  'removed-from-ask': 'removed from a Whitehall ask',
  'ask-submitted': 'Whitehall ask submitted',
  'ask-chased': 'Whitehall ask chased',
  'ask-outcome': 'Whitehall ask answered',
  closed: 'closed',
  created: 'ask created',
  'barrier-added': 'barrier added',
  'barrier-removed': 'barrier removed',
});

/** An action someone took, as the banner after it says: "GT-0042 acknowledged". */
export const actionDoneName = from({
  acknowledge: 'acknowledged',
  comment: 'comment added',
  'request-info': 'information requested: the clock is paused',
  'provide-info': 'information provided: the clock runs again',
  reassign: 'reassigned',
  escalate: 'escalated',
  resolve: 'resolved',
  withdraw: 'withdrawn',
  reopen: 'reopened',
  'migrate-policy': 'moved to another SLA policy version',
  accept: 'accepted at GM level',
  return: 'returned to the locality',
  merge: 'merged',
  link: 'linked',
  promote: 'promoted to a Whitehall ask',
});

/** An administrative change, as the audit log names it. */
export const auditActionName = from({
  'person.added': 'person added',
  'person.updated': 'person changed',
  'person.available': 'marked as available',
  'person.unavailable': 'marked as away',
  'person.access-removed': 'access removed',
  'person.sessions-ended': 'signed out everywhere',
  'locality.assignments-changed': 'locality leads or specialists changed',
  'neighbourhood.assignments-changed': 'neighbourhood lead or deputy changed',
  'policy.added': 'SLA policy version added',
  'policy.barriers-migrated': 'open barriers moved to another policy version',
  'barrier.reassigned': 'barrier reassigned',
  'barrier.policy-migrated': 'barrier moved to another policy version',
  'import.started': 'import started',
  'ask.published': 'ask published on the open register',
  'ask.publication-updated': 'ask updated on the open register',
  'ask.unpublished': 'ask withdrawn from the open register',
});

/** Why routing chose an owner, as "as the neighbourhood deputy". */
export const routingReasonName = from({
  'gmca-triage': 'GMCA triage',
  'category-specialist': 'the category specialist',
  'neighbourhood-lead': 'the neighbourhood lead',
  'neighbourhood-deputy': 'the neighbourhood deputy (the lead is away)',
  'locality-lead': 'a locality lead',
});

/** Through which front end a change came. */
export const viaName = from({ api: 'the API', pages: 'the pages' });

/** A department's full name from its slug. */
export const departmentName = (slug: string | null | undefined): string =>
  slug ? department(slug) : '';

/** "Ben Jones, Dana Shah and Ali Khan". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
