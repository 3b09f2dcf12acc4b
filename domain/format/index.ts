/**
 * Formatting in words for pages, emails and CSV headers alike: dates and
 * times, spans of working time, SLA targets, and the names of places and
 * vocabularies. Pure and deterministic, so workflows may import it.
 */
export * from './dates.ts';
export * from './durations.ts';
export * from './names.ts';
export { localityName, neighbourhoodName, placeName } from '../places.ts';
export * from './evidence.ts';
