/** Numbered pages of a list held whole: which items a page shows, and which page that is. */

/** One numbered page of a list: its items, how many match in all, and which page it is. */
export interface NumberedPage<T> {
  items: T[];
  total: number;
  /** The page shown, from 1: the one asked for, or the last when that is past the end. */
  number: number;
  size: number;
}

/** Page `number` (from 1) of `all`, `size` at a time; past the end, the last page. */
export function numberedPage<T>(all: readonly T[], number: number, size: number): NumberedPage<T> {
  const last = Math.max(1, Math.ceil(all.length / size));
  const n = Math.min(Math.max(1, Math.floor(number) || 1), last);
  return { items: all.slice((n - 1) * size, n * size), total: all.length, number: n, size };
}
