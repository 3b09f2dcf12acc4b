/**
 * The dashboard's Whitehall asks by outcome, counted from the asks the read
 * model holds (asks are few beside barriers, and the ask projection stamps the
 * read model, so the count is served from memory between changes).
 */
import { ASK_OUTCOMES } from '../barrier/types.ts';
import type { FigureRow } from './figures.ts';

/** What of an ask its outcome needs. */
export interface AskStanding {
  status: string;
  outcome?: string | null;
}

/** Asks by outcome (every outcome), then those still waiting for one (submitted, no answer yet). */
export function asksByOutcome(asks: readonly AskStanding[]): FigureRow[] {
  const count = (outcome: string) => asks.filter((a) => a.outcome === outcome).length;
  return [
    ...ASK_OUTCOMES.map((o) => ({ label: o, value: count(o) })),
    {
      label: 'awaiting',
      value: asks.filter((a) => a.status === 'submitted' && !a.outcome).length,
    },
  ];
}
