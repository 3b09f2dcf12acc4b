import { describe, expect, it } from 'vitest';
import { numberedPage } from './numbered-page.ts';

const sixty = Array.from({ length: 60 }, (_, i) => i + 1);

describe('numberedPage', () => {
  it('gives the items of the page asked for, with how many there are in all', () => {
    expect(numberedPage(sixty, 2, 25)).toEqual({
      items: sixty.slice(25, 50),
      total: 60,
      number: 2,
      size: 25,
    });
    expect(numberedPage(sixty, 3, 25).items).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
  });

  it('gives the last page for a page past the end, and the first for nonsense', () => {
    expect(numberedPage(sixty, 9, 25).number).toBe(3);
    expect(numberedPage(sixty, 0, 25).number).toBe(1);
    expect(numberedPage(sixty, Number.NaN, 25).number).toBe(1);
  });

  it('calls an empty list one empty page', () => {
    expect(numberedPage([], 4, 25)).toEqual({ items: [], total: 0, number: 1, size: 25 });
  });
});
