/** Select items from a vocabulary, labelled for people. */
import { humanise } from '../format.ts';

export interface SelectItem {
  value: string;
  text: string;
  selected?: boolean;
}

export const options = (
  values: readonly string[],
  selected: unknown,
  blank?: string,
): SelectItem[] => [
  ...(blank !== undefined ? [{ value: '', text: blank }] : []),
  ...values.map((v) => ({ value: v, text: humanise(v), selected: v === selected })),
];
