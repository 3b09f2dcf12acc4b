/** A free-text search as a query: each word, escaped, must match one of `fields`. */
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function wordsFilter(words: readonly string[], fields: readonly string[]) {
  return words.map((w) => ({
    $or: fields.map((f) => ({ [f]: { $regex: escape(w), $options: 'i' } })),
  }));
}
