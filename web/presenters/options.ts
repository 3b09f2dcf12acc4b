/** Select items from a vocabulary, labelled for people. */
import { sentence } from '../../domain/format/index.ts';

export interface SelectItem {
  value: string;
  text: string;
  selected?: boolean;
}

export const options = (
  values: readonly string[],
  selected: unknown,
  blank?: string,
  /** The name of a value mid-sentence (from domain/format); its slug as words when not given. */
  label?: (v: string) => string,
): SelectItem[] => [
  ...(blank !== undefined ? [{ value: '', text: blank }] : []),
  ...values.map((v) => ({
    value: v,
    text: sentence(
      (label ?? ((x: string) => x.replace(/-/g, ' ').replace(/\bgmca\b/gi, 'GMCA')))(v),
    ),
    selected: v === selected,
  })),
];
