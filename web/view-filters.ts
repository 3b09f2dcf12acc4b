/**
 * Nunjucks filters over the shared formatting module, so a view can say an
 * instant or a place in words, and MoJ Frontend's timeline (which formats its
 * dates through a `mojDate` filter) says them as every other page does.
 */
import type { Environment } from 'nunjucks';
import { formatDate, formatDateTime, placeName, type Instant } from '../domain/format/index.ts';

export function addFormatFilters(env: Environment): void {
  env.addFilter('mojDate', (at: Instant, type?: string) =>
    type === 'date' || type === 'shortDate' ? formatDate(at) : formatDateTime(at),
  );
  env.addFilter('dateTime', (at: Instant) => formatDateTime(at));
  env.addFilter('place', (locality: string | null, neighbourhood?: string | null) =>
    placeName(locality, neighbourhood),
  );
}
