/** GOV.UK pagination for a numbered list: the component's parameters and what the page says it shows. */

/** What the pagination needs of a numbered page (domain/numbered-page.ts). */
export interface PageAt {
  total: number;
  /** From 1. */
  number: number;
  size: number;
}

type Item = { number: number; href: string; current: boolean } | { ellipsis: true };

/**
 * The page numbers to offer: the first, the last, the current one and its
 * neighbours, with an ellipsis for each gap (as the GOV.UK pattern shows them).
 */
export function pageNumbers(current: number, last: number): (number | null)[] {
  const wanted = new Set([1, last, current - 1, current, current + 1]);
  const shown = [...wanted].filter((n) => n >= 1 && n <= last).sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const n of shown) {
    const prev = out.at(-1);
    if (typeof prev === 'number' && n - prev === 2) out.push(prev + 1);
    else if (typeof prev === 'number' && n - prev > 2) out.push(null);
    out.push(n);
  }
  return out;
}

/**
 * The govukPagination parameters for `page` (null when everything fits on
 * one page) and the line saying which of how many the page shows.
 * `href(n)` is page n's address; `noun` the things listed, in the plural.
 */
export function paginationView(page: PageAt, href: (n: number) => string, noun: string) {
  const last = Math.max(1, Math.ceil(page.total / page.size));
  const from = page.total === 0 ? 0 : (page.number - 1) * page.size + 1;
  const to = Math.min(page.total, page.number * page.size);
  return {
    showing:
      last > 1
        ? `Showing ${from} to ${to} of ${page.total} ${noun}`
        : `${page.total} ${page.total === 1 ? noun.replace(/s$/, '') : noun}`,
    pagination:
      last > 1
        ? {
            landmarkLabel: `Pages of ${noun}`,
            previous: page.number > 1 ? { href: href(page.number - 1) } : undefined,
            next: page.number < last ? { href: href(page.number + 1) } : undefined,
            items: pageNumbers(page.number, last).map((n): Item =>
              n === null
                ? { ellipsis: true }
                : { number: n, href: href(n), current: n === page.number },
            ),
          }
        : null,
  };
}

/** The page number a query string asks for (1 when it asks for none or nonsense). */
export function pageAsked(raw: unknown): number {
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return n >= 1 ? n : 1;
}
