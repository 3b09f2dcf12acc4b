/**
 * Which actions an ask's state allows now: one rule, used by the ask's state
 * machine to refuse an action and by the ask's page to offer only the forms
 * that would be accepted. Who may act is access.ts's `canRunAsks`.
 */
import type { AskCommand } from './ask-machine.ts';

/** Where an ask is in its life. */
export const ASK_STATUSES = ['draft', 'submitted', 'answered', 'withdrawn'] as const;
export type AskStatus = (typeof ASK_STATUSES)[number];

/** Every action on an ask, in the order the ask's page offers them. */
export const ASK_ACTION_TYPES = [
  'add-barrier',
  'remove-barrier',
  'submit',
  'chase',
  'record-response',
  'withdraw',
] as const satisfies readonly AskCommand['type'][];
export type AskActionType = (typeof ASK_ACTION_TYPES)[number];

/** The parts of an ask's state that decide which actions it allows. */
export interface AskActionState {
  status: AskStatus;
  /** How many barriers it bundles. */
  barriers: number;
}

/** True for a status an ask has (a stored ask's status is a plain string). */
export const isAskStatus = (s: string): s is AskStatus =>
  (ASK_STATUSES as readonly string[]).includes(s);

/** True once nothing more can happen to the ask. */
export const askFinished = (status: AskStatus): boolean =>
  status === 'answered' || status === 'withdrawn';

/**
 * Why the state does not allow an action of this type now, or undefined when
 * it does. Rules on the action's arguments (a barrier already in the ask, or
 * not in it) are the machine's, on top of this.
 */
export function askStateProblem(type: AskActionType, s: AskActionState): string | undefined {
  const draftOnly = (what: string) =>
    s.status === 'draft' ? undefined : `${what} only while the ask is a draft; it is ${s.status}`;
  switch (type) {
    case 'add-barrier':
      return draftOnly('barriers are added');
    case 'remove-barrier':
      if (s.barriers === 1 && s.status === 'draft')
        return 'an ask needs at least one barrier: withdraw it instead';
      return draftOnly('barriers are removed');
    case 'submit':
      return draftOnly('an ask is submitted');
    case 'chase':
    case 'record-response':
      return s.status === 'submitted'
        ? undefined
        : `the ask is ${s.status}: only a submitted ask is chased or answered`;
    case 'withdraw':
      return askFinished(s.status) ? `the ask is already ${s.status}` : undefined;
  }
}

/** The actions the ask's state allows now, in the page's order. */
export const availableAskActions = (s: AskActionState): AskActionType[] =>
  ASK_ACTION_TYPES.filter((type) => askStateProblem(type, s) === undefined);
