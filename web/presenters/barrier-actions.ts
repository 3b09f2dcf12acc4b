/**
 * The action forms on a barrier's page: which to show (exactly the actions
 * domain's availableActions allows), their fields, the API body a posted form
 * becomes, and a refusal's errors placed on the right field.
 */
import { BARRIER_ACTION_TYPES, type BarrierActionType } from '../../domain/barrier/action-types.ts';
import { PAUSE_REASONS, departmentName, DEPARTMENT_SLUGS } from '../../domain/reference-data.ts';
import type { FieldProblem } from '../../services/errors.ts';
import { actionDoneName, durationFromWords, pauseReasonName } from '../../domain/format/index.ts';
import { humanise } from '../format.ts';
import { formErrors } from './form-errors.ts';
import { options, type SelectItem } from './options.ts';

interface FormField {
  name: string;
  label: string;
  kind?: 'textarea' | 'select';
  hint?: string;
}

interface ActionForm {
  label: string;
  secondary?: boolean;
  fields: FormField[];
}

const note = (name: string, label: string): FormField => ({ name, label, kind: 'textarea' });

/** The actions the pages offer, in the order they show them, with their fields. */
export const ACTION_FORMS: Partial<Record<BarrierActionType, ActionForm>> = {
  acknowledge: { label: 'Acknowledge', fields: [note('note', 'Note (optional)')] },
  comment: { label: 'Add comment', secondary: true, fields: [note('text', 'Comment')] },
  'request-info': {
    label: 'Request information',
    secondary: true,
    fields: [
      { name: 'reason', label: 'Why the clock pauses', kind: 'select' },
      note('question', 'What do you need to know?'),
    ],
  },
  'provide-info': { label: 'Provide information', fields: [note('response', 'Your answer')] },
  escalate: { label: 'Escalate', secondary: true, fields: [note('reason', 'Why escalate now?')] },
  resolve: { label: 'Resolve', fields: [note('resolution', 'How was it resolved?')] },
  withdraw: { label: 'Withdraw', secondary: true, fields: [note('reason', 'Why withdraw it?')] },
  reopen: { label: 'Reopen', fields: [note('reason', 'Why reopen it?')] },
  reassign: {
    label: 'Reassign',
    secondary: true,
    fields: [
      {
        name: 'to',
        label: 'New owner (email)',
        hint: 'Someone in the directory whose role and area cover this barrier',
      },
      note('reason', 'Why reassign it? (optional)'),
    ],
  },
  'migrate-policy': {
    label: 'Move to another SLA policy version',
    secondary: true,
    fields: [
      {
        name: 'policyVersion',
        label: 'Policy version',
        hint: 'Its deadlines are recalculated under that version; the timeline records the move',
      },
    ],
  },
  accept: {
    label: 'Accept at GM level',
    fields: [
      { name: 'owner', label: 'GMCA owner (email)' },
      {
        name: 'resolveTarget',
        label: 'Resolve target',
        hint: 'For example, 10 working days or 4 hours',
      },
    ],
  },
  return: {
    label: 'Return to the locality',
    secondary: true,
    fields: [note('reason', 'Reason for returning it')],
  },
  merge: {
    label: 'Merge as a duplicate',
    secondary: true,
    fields: [
      { name: 'into', label: 'Merge into barrier (reference)', hint: 'For example GT-0042' },
    ],
  },
  link: {
    label: 'Link a related barrier',
    secondary: true,
    fields: [{ name: 'with', label: 'Related barrier (reference)', hint: 'For example GT-0042' }],
  },
  promote: {
    label: 'Promote to a Whitehall ask',
    fields: [
      {
        name: 'askId',
        label: 'Existing draft ask (reference, optional)',
        hint: 'For example ASK-0007; leave empty to start a new ask',
      },
      { name: 'askTitle', label: 'New ask: title' },
      { name: 'department', label: 'New ask: department', kind: 'select' },
      note('askText', 'New ask: what government should do'),
    ],
  },
};

/** A field of a form that a refusal points at. */
export interface FailedField {
  type: string;
  field: string;
  text: string;
}

const selectItems = (type: string, field: string): SelectItem[] | undefined => {
  if (type === 'request-info' && field === 'reason')
    return options(PAUSE_REASONS, undefined, undefined, pauseReasonName);
  if (field === 'department')
    return DEPARTMENT_SLUGS.map((value) => ({ value, text: departmentName(value) }));
  return undefined;
};

/** The forms for `available` actions (those the pages have a form for), with any errors. */
export function actionForms(available: readonly BarrierActionType[], failed: FailedField[] = []) {
  return available.flatMap((type) => {
    const form = ACTION_FORMS[type];
    if (!form) return [];
    return [
      {
        type,
        label: form.label,
        secondary: form.secondary,
        fields: form.fields.map((f) => ({
          ...f,
          error: failed.find((x) => x.type === type && x.field === f.name)?.text,
          items: selectItems(type, f.name),
        })),
      },
    ];
  });
}

/** Whether a query's `done` names an action a barrier accepts (not any key of an object). */
const isActionType = (done: unknown): done is BarrierActionType =>
  typeof done === 'string' && (BARRIER_ACTION_TYPES as readonly string[]).includes(done);

/**
 * What the banner says after something was done to a barrier: "GT-0042
 * acknowledged" for an action, or following news; undefined for anything
 * else, so a forged `done` shows nothing.
 */
export const doneNotice = (done: unknown, reference = 'Barrier'): string | undefined => {
  if (done === 'follow') return `You follow ${reference}: its progress will be emailed to you.`;
  if (done === 'unfollow') return `You no longer follow ${reference}.`;
  return isActionType(done) ? `${reference} ${actionDoneName(done)}` : undefined;
};

/** Turns a posted action form into the API's action body. */
export function actionBody(form: Record<string, unknown>): Record<string, unknown> {
  const type = typeof form.type === 'string' ? form.type : '';
  const fields = Object.fromEntries(
    Object.entries(form).filter(
      (e): e is [string, string] =>
        e[0] !== '_csrf' && e[0] !== 'type' && typeof e[1] === 'string' && e[1].trim() !== '',
    ),
  );
  if (type === 'promote') {
    if (fields.askId) return { type, askId: fields.askId.trim().toUpperCase() };
    return {
      type,
      ask: {
        title: fields.askTitle ?? '',
        department: fields.department ?? '',
        ask: fields.askText ?? '',
      },
    };
  }
  for (const k of ['into', 'with']) if (fields[k]) fields[k] = fields[k].trim().toUpperCase();
  if (type === 'migrate-policy' && fields.policyVersion && /^\s*\d+\s*$/.test(fields.policyVersion))
    return { type, policyVersion: Number(fields.policyVersion) };
  if (type === 'reassign' && fields.to) fields.to = fields.to.trim();
  if (type === 'accept' && fields.resolveTarget)
    fields.resolveTarget = durationFromWords(fields.resolveTarget);
  return { type, ...fields };
}

/** A new ask's fields in the promote form (the request nests them under `ask`). */
const ASK_FIELDS: Readonly<Record<string, string>> = {
  'ask-title': 'askTitle',
  'ask-ask': 'askText',
  'ask-department': 'department',
};

/** The ids of an action form's fields. */
const fieldsOf = (type: string): string[] =>
  ACTION_FORMS[type as BarrierActionType]?.fields.map((f) => f.name) ?? [];

/** Validation problems as errors on the action form's own fields. */
export function failedFields(type: string, problems: FieldProblem[]): FailedField[] {
  return Object.entries(
    formErrors(problems, fieldsOf(type), {
      rename: ASK_FIELDS,
      message: (field, p) => `${humanise(field)} ${p.reason}`,
    }),
  ).map(([field, text]) => ({ type, field, text }));
}

/** A refusal from the service (no field, or one field) placed on the form. */
export function refusedField(type: string, detail: string, problems: FieldProblem[]): FailedField {
  const failed = failedFields(type, problems.slice(0, 1))[0];
  return failed ?? { type, field: fieldsOf(type)[0] ?? 'type', text: detail };
}
