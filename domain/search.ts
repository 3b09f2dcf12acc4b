/**
 * Free-text search as people type it: every word must match, in any of the
 * searched fields, ignoring case. Pure: the store turns the words into a query.
 */
import { z } from 'zod';

/** At most this many words count; more is almost always a pasted paragraph. */
export const MAX_SEARCH_WORDS = 10;

export const searchQuerySchema = z
  .string()
  .max(200, 'must be at most 200 characters')
  .describe(
    'Words to find in the reference, title and description (case-insensitive; every word must match).',
  );

/** The distinct words of a search, lower-cased, at most {@link MAX_SEARCH_WORDS}. */
export function searchWords(q: string | undefined): string[] {
  const words = (q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  return [...new Set(words)].slice(0, MAX_SEARCH_WORDS);
}

/** What a search box sent, as the pages read it: trimmed, at most 200 characters. */
export const searchText = (v: unknown): string =>
  typeof v === 'string' ? v.trim().slice(0, 200) : '';
