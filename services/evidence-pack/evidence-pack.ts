/**
 * An ask's evidence pack: read once from the read model (the ask's barriers,
 * those merged into them, their events and the ask's own) as the ask's page
 * reads it, the evidence worked out as the page works it out, then written
 * as .docx or PDF.
 */
import { PACK_MEDIA_TYPES, type PackFormat } from '../../domain/ask/pack-formats.ts';
import { askWithEvidence, type StoredAsk } from '../asks.ts';
import type { ServiceDeps } from '../deps.ts';
import { evidenceSummary, type AskEvidence } from '../../domain/ask/evidence.ts';
import { buildAskPack, type AskPack } from './ask-pack.ts';
import { askPackDocxBuffer } from './docx-pack.ts';
import { askPackPdfBuffer } from './pdf-pack.ts';

/** A pack as a download. */
export interface PackDocument {
  /** `ASK-0003-evidence-pack.pdf`. */
  filename: string;
  contentType: string;
  body: Buffer;
}

/** The pack of an ask the caller has already checked the actor may see, as at `now`. */
export async function readAskPack(
  deps: Pick<ServiceDeps, 'models'>,
  a: StoredAsk,
  now = Date.now(),
): Promise<AskPack> {
  return (await readAskPackWithEvidence(deps, a, now)).pack;
}

/** The pack, and the summary of the evidence it was made from, as at `now`. */
export async function readAskPackWithEvidence(
  deps: Pick<ServiceDeps, 'models'>,
  a: StoredAsk,
  now = Date.now(),
): Promise<{ pack: AskPack; evidence: AskEvidence }> {
  const { evidence, events, timeline } = await askWithEvidence(deps, a, now);
  const pack = buildAskPack({ ask: a, evidence, events, askTimeline: timeline }, now);
  return { pack, evidence: evidenceSummary(evidence) };
}

/** The pack of an ask (checked visible by the caller) in `format`, as at `now`. */
export async function askPackDocument(
  deps: Pick<ServiceDeps, 'models'>,
  a: StoredAsk,
  format: PackFormat,
  now = Date.now(),
): Promise<PackDocument> {
  const pack = await readAskPack(deps, a, now);
  return {
    filename: `${pack.filename}.${format}`,
    contentType: PACK_MEDIA_TYPES[format],
    body: await (format === 'docx' ? askPackDocxBuffer(pack) : askPackPdfBuffer(pack)),
  };
}
