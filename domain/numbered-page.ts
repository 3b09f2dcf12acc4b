/**
 * Numbered pages of a list: which page to show, and the page itself, whether
 * the list is held whole (sliced here) or paged by the database (skip and limit).
 */

/** One numbered page of a list: its items, how many match in all, and which page it is. */
export interface NumberedPage<T> {
  items: T[];
  total: number;
  /** The page shown, from 1: the one asked for, or the last when that is past the end. */
  number: number;
  size: number;
}

/** The page to show of `total` items: the one asked for, or the last when that is past the end. */
export const pageWithin = (asked: number, total: number, size: number): number =>
  Math.min(Math.max(1, Math.floor(asked) || 1), Math.max(1, Math.ceil(total / size)));

/** Page `number` (from 1) of `all`, `size` at a time; past the end, the last page. */
export function numberedPage<T>(all: readonly T[], number: number, size: number): NumberedPage<T> {
  const n = pageWithin(number, all.length, size);
  return { items: all.slice((n - 1) * size, n * size), total: all.length, number: n, size };
}

/**
 * A numbered page of a list the database pages through: `count` everything
 * that matches, then `read` the page's items (`skip` past the pages before).
 */
export async function readNumberedPage<T>(
  asked: number,
  size: number,
  count: () => Promise<number>,
  read: (skip: number, limit: number) => Promise<T[]>,
): Promise<NumberedPage<T>> {
  const total = await count();
  const number = pageWithin(asked, total, size);
  return { items: await read((number - 1) * size, size), total, number, size };
}
