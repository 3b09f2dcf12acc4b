/** Numbered pages of a list the database pages through (skip and limit). */

/** One numbered page of a list: its items, how many match in all, and which page it is (from 1). */
export interface NumberedPage<T> {
  items: T[];
  total: number;
  number: number;
  size: number;
}

/** The page to show of `total` items: the one asked for, or the last when that is past the end. */
export const pageWithin = (asked: number, total: number, size: number): number =>
  Math.min(Math.max(1, Math.floor(asked) || 1), Math.max(1, Math.ceil(total / size)));
