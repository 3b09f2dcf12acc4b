/**
 * The read model's records as services hand them to the front ends. Types
 * only: api/ and web/ never import the data layer itself.
 */
export type { AskDoc, BarrierDoc, ImportDoc, TimelineDoc } from '../store/models.ts';
export type { AskEvidence } from '../store/ask-queries.ts';
export type { BarrierListQuery } from '../store/barrier-queries.ts';
