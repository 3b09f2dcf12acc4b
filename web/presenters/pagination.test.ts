import { describe, expect, it } from 'vitest';
import { pageAsked, pageNumbers, paginationView } from './pagination.ts';

describe('pageNumbers', () => {
  it('offers the first, the last, and the current page with its neighbours, gaps as ellipses', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(1, 3)).toEqual([1, 2, 3]);
    expect(pageNumbers(5, 10)).toEqual([1, null, 4, 5, 6, null, 10]);
    // A gap of one page shows that page rather than an ellipsis.
    expect(pageNumbers(3, 10)).toEqual([1, 2, 3, 4, null, 10]);
    expect(pageNumbers(10, 10)).toEqual([1, null, 9, 10]);
  });
});

describe('paginationView', () => {
  const href = (n: number) => `/things?page=${n}`;

  it('says which things the page shows and links to the pages either side', () => {
    const v = paginationView({ total: 60, number: 2, size: 25 }, href, 'barriers');
    expect(v.showing).toBe('Showing 26 to 50 of 60 barriers');
    expect(v.pagination?.previous).toEqual({ href: '/things?page=1' });
    expect(v.pagination?.next).toEqual({ href: '/things?page=3' });
    expect(v.pagination?.items).toEqual([
      { number: 1, href: '/things?page=1', current: false },
      { number: 2, href: '/things?page=2', current: true },
      { number: 3, href: '/things?page=3', current: false },
    ]);
  });

  it('has no previous on the first page, no next on the last', () => {
    expect(
      paginationView({ total: 60, number: 1, size: 25 }, href, 'asks').pagination?.previous,
    ).toBeUndefined();
    const last = paginationView({ total: 60, number: 3, size: 25 }, href, 'asks');
    expect(last.pagination?.next).toBeUndefined();
    expect(last.showing).toBe('Showing 51 to 60 of 60 asks');
  });

  it('shows no pagination when everything fits on one page, and counts in words', () => {
    expect(paginationView({ total: 25, number: 1, size: 25 }, href, 'asks')).toEqual({
      showing: '25 asks',
      pagination: null,
    });
    expect(paginationView({ total: 1, number: 1, size: 25 }, href, 'asks').showing).toBe('1 ask');
  });
});

describe('pageAsked', () => {
  it('reads a page number, and 1 for anything else', () => {
    expect(pageAsked('3')).toBe(3);
    for (const raw of [undefined, '', '0', '-2', 'two', ['2'], '1e3', '9999999'])
      expect(pageAsked(raw)).toBe(1);
  });
});
