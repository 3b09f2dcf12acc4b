/**
 * What someone can do from an ask's page: a form for each action the ask's
 * state allows now (domain/ask/action-rules.ts) when they may run asks, and
 * the evidence pack's downloads, as one list. Also the body a posted form
 * becomes, its problems as errors on its fields, and the banner after it.
 */
import { ASK_ACTION_TYPES, type AskActionType } from '../../domain/ask/action-rules.ts';
import { barrierIdPattern } from '../../domain/barrier/schemas.ts';
import { departmentName, formatDate, outcomeName, sentence } from '../../domain/format/index.ts';
import type { FieldProblem } from '../../services/errors.ts';
import { askPackLinks } from './ask-pack.ts';
import { formErrors } from './form-errors.ts';

/** The outcomes a person records: `no-response` is Golden Thread's own, after the last chaser. */
const RECORDED_OUTCOMES = ['agreed', 'partially-agreed', 'declined'] as const;

interface FieldSpec {
  name: string;
  label: string;
  kind: 'input' | 'textarea' | 'radios' | 'barrier';
  hint?: string;
  rows?: number;
  /** What the error says when the field is left empty. */
  missing?: string;
  /** What the error says when what was typed is not valid. */
  invalid?: string;
}

interface FormSpec {
  heading: string;
  button: string;
  /** GOV.UK button modifier: secondary for the lesser actions, warning for withdrawing. */
  style?: 'secondary' | 'warning';
  intro?: string;
  fields: FieldSpec[];
}

const FORMS: Record<AskActionType, FormSpec> = {
  'add-barrier': {
    heading: 'Add a barrier',
    button: 'Add barrier',
    style: 'secondary',
    fields: [
      {
        name: 'barrierId',
        label: 'Barrier reference',
        kind: 'input',
        hint: 'An open barrier at the GMCA stage, in no other ask. For example GT-0042',
        missing: 'Enter the reference of the barrier to add, like GT-0042',
        invalid: 'Enter a barrier reference like GT-0042',
      },
    ],
  },
  'remove-barrier': {
    heading: 'Remove a barrier',
    button: 'Remove barrier',
    style: 'secondary',
    intro: 'It goes back to GMCA’s triage queue.',
    fields: [
      {
        name: 'barrierId',
        label: 'Which barrier?',
        kind: 'barrier',
        missing: 'Select the barrier to remove',
      },
    ],
  },
  submit: {
    heading: 'Submit to the department',
    button: 'Submit the ask',
    intro: 'Without a response by its due date, Golden Thread chases the department.',
    fields: [],
  },
  chase: {
    heading: 'Chase the department',
    button: 'Record a chaser',
    style: 'secondary',
    fields: [
      {
        name: 'note',
        label: 'Note (optional)',
        kind: 'textarea',
        hint: 'For example, who you contacted and how',
      },
    ],
  },
  'record-response': {
    heading: 'Record the department’s response',
    button: 'Record the response',
    fields: [
      {
        name: 'outcome',
        label: 'What did the department answer?',
        kind: 'radios',
        missing: 'Select what the department answered',
      },
      {
        name: 'response',
        label: 'The department’s response',
        kind: 'textarea',
        rows: 8,
        hint: 'Paste it in full; paragraphs are kept',
        missing: 'Enter the department’s response',
      },
    ],
  },
  withdraw: {
    heading: 'Withdraw the ask',
    button: 'Withdraw the ask',
    style: 'warning',
    intro: 'Its barriers go back to GMCA’s triage queue. This cannot be undone.',
    fields: [
      {
        name: 'reason',
        label: 'Why is it withdrawn?',
        kind: 'textarea',
        missing: 'Enter why the ask is withdrawn',
      },
    ],
  },
};

/** A field of a form that a refusal points at. */
export interface FailedField {
  type: string;
  field: string;
  text: string;
}

/** One thing a person can do from the ask's page: a form, or a link. */
export type AskActionItem =
  | {
      kind: 'form';
      type: AskActionType;
      heading: string;
      button: string;
      style?: 'secondary' | 'warning';
      intro?: string;
      /** A refusal of the whole action, shown above its button. */
      error?: string;
      fields: {
        id: string;
        name: string;
        label: string;
        kind: FieldSpec['kind'];
        hint?: string;
        rows?: number;
        value: string;
        error?: string;
        items?: { value: string; text: string; checked: boolean }[];
      }[];
    }
  | { kind: 'link'; href: string; text: string }
  /** A form of one button that posts to an address of its own. */
  | {
      kind: 'post';
      action: string;
      heading: string;
      intro?: string;
      button: string;
      style?: 'secondary' | 'warning';
    };

/** What the actions list is made from. */
export interface AskActionsInput {
  askId: string;
  /** How long the department has to respond, in words ("20 working days"), when known. */
  responseTime?: string;
  /** The actions the ask's state allows and the person may take (none if they may not run asks). */
  available: readonly AskActionType[];
  /** The ask's barriers, for the form that removes one. */
  barriers: readonly { id: string; title: string }[];
  failed?: readonly FailedField[];
  /** What the failed form posted, to show again. */
  posted?: Readonly<Record<string, unknown>>;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The ask page's action list: the evidence pack's downloads, then each
 * allowed action's form. Another action is one more item here.
 */
export function askActionItems(input: AskActionsInput): AskActionItem[] {
  const failed = input.failed ?? [];
  const failedType = failed[0]?.type;
  const forms = input.available.map((type): AskActionItem => {
    const form = FORMS[type];
    const again = (name: string) => (failedType === type ? str(input.posted?.[name]) : '');
    return {
      kind: 'form',
      type,
      heading: form.heading,
      button: form.button,
      style: form.style,
      intro:
        type === 'submit' && input.responseTime
          ? `The department then has ${input.responseTime} to respond. ${form.intro ?? ''}`
          : form.intro,
      error: failed.find((x) => x.type === type && x.field === 'form')?.text,
      fields: form.fields.map((f) => ({
        id: `${type}-${f.name}`,
        name: f.name,
        label: f.label,
        kind: f.kind,
        hint: f.hint,
        rows: f.rows,
        value: again(f.name),
        error: failed.find((x) => x.type === type && x.field === f.name)?.text,
        items:
          f.kind === 'radios'
            ? RECORDED_OUTCOMES.map((o) => ({
                value: o,
                text: sentence(outcomeName(o)),
                checked: again(f.name) === o,
              }))
            : f.kind === 'barrier'
              ? input.barriers.map((b) => ({
                  value: b.id,
                  text: `${b.id}: ${b.title}`,
                  checked: again(f.name) === b.id,
                }))
              : undefined,
      })),
    };
  });
  return [...askPackLinks(input.askId).map((l) => ({ kind: 'link' as const, ...l })), ...forms];
}

/** True for an action an ask takes (not any key of an object). */
export const isAskActionType = (v: unknown): v is AskActionType =>
  typeof v === 'string' && (ASK_ACTION_TYPES as readonly string[]).includes(v);

/** Turns a posted action form into the API's action body. */
export function askActionBody(form: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const type = str(form.type);
  const fields = Object.fromEntries(
    Object.entries(form).filter(
      (e): e is [string, string] =>
        e[0] !== '_csrf' && e[0] !== 'type' && typeof e[1] === 'string' && e[1].trim() !== '',
    ),
  );
  if (fields.barrierId) fields.barrierId = fields.barrierId.trim().toUpperCase();
  return { type, ...fields };
}

const fieldsOf = (type: string): FieldSpec[] => (isAskActionType(type) ? FORMS[type].fields : []);

/** Problems with a posted form as errors on its own fields, in the page's words. */
export function askFailedFields(type: string, problems: readonly FieldProblem[]): FailedField[] {
  const specs = fieldsOf(type);
  if (specs.length === 0)
    return problems.length
      ? [{ type, field: 'form', text: 'Choose one of the actions below' }]
      : [];
  return Object.entries(
    formErrors(
      problems,
      specs.map((f) => f.name),
      {
        message: (field, p) => {
          const spec = specs.find((f) => f.name === field);
          const empty = p.reason === 'is required' || p.reason === 'must not be empty';
          if (empty && spec?.missing) return spec.missing;
          if (!empty && spec?.invalid) return spec.invalid;
          if (field === 'outcome') return spec?.missing;
          return `${spec?.label.replace(/ \(optional\)$/, '') ?? sentence(field)} ${p.reason}`;
        },
      },
    ),
  ).map(([field, text]) => ({ type, field, text }));
}

/** A refusal from the service placed on the form: on the field it names, or its first. */
export function askRefusedField(
  type: string,
  detail: string,
  problems: readonly FieldProblem[],
): FailedField {
  const onField = askFailedFields(type, problems.slice(0, 1))[0];
  if (onField && problems[0]?.reason) return { ...onField, text: detail };
  return { type, field: fieldsOf(type)[0]?.name ?? 'form', text: detail };
}

/**
 * Where the error summary sends someone for a failed field: the field, or the
 * form for a refusal of the whole action, or the list of actions when that
 * form is not shown (the ask moved on: it was submitted twice, say).
 */
export const failedHref = (f: FailedField, shown: readonly string[]) => {
  if (!shown.includes(f.type)) return '#actions';
  return f.field === 'form' ? `#${f.type}-form` : `#${f.type}-${f.field}`;
};

/**
 * What the banner says after an action on the ask: "GT-0042 added to
 * ASK-0003", "ASK-0003 submitted to the Department for Work and Pensions";
 * undefined for anything else, so a forged `done` shows nothing.
 */
export function askDoneNotice(
  done: unknown,
  a: { _id: string; department: string; dueAt?: Date | null },
  barrier?: unknown,
): string | undefined {
  if (!isAskActionType(done)) return undefined;
  const b = typeof barrier === 'string' && barrierIdPattern.test(barrier) ? barrier : 'The barrier';
  switch (done) {
    case 'add-barrier':
      return `${b} added to ${a._id}`;
    case 'remove-barrier':
      return `${b} removed from ${a._id}: it is back in GMCA’s triage queue`;
    case 'submit':
      return `${a._id} submitted to the ${departmentName(a.department)}${a.dueAt ? `: a response is due by ${formatDate(a.dueAt)}` : ''}`;
    case 'chase':
      return `${a._id} chased: the chaser is on its history`;
    case 'record-response':
      return `${a._id} answered: the department’s response is recorded`;
    case 'withdraw':
      return `${a._id} withdrawn: its barriers are back in GMCA’s triage queue`;
  }
}
