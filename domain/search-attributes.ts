/**
 * The custom search attributes barrier workflows keep current, so operators can
 * filter in the Temporal Web UI (`GtLocality = "wigan" AND GtStage = "gmca"`).
 * Registered by the worker at start, and by the local dev server's flags.
 */
export const SEARCH_ATTRIBUTES = {
  GtLocality: 'Keyword',
  GtNeighbourhood: 'Keyword',
  GtStage: 'Keyword',
  GtStatus: 'Keyword',
  GtNextDeadline: 'Datetime',
} as const;
export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;
