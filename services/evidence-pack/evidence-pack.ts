/**
 * An ask's evidence pack: read once from the read model (the ask's barriers,
 * those merged into them, their events and the ask's own), the figures
 * computed as the ask page computes them, then written as .docx or PDF.
 */
import { PACK_MEDIA_TYPES, type PackFormat } from '../../domain/ask/pack-formats.ts';
import { evidenceFrom, readEvidenceSources } from '../../store/ask-queries.ts';
import { getTimeline } from '../../store/barrier-queries.ts';
import type { StoredAsk } from '../asks.ts';
import type { ServiceDeps } from '../deps.ts';
import type { AskEvidence } from '../read-model.ts';
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

/** The pack, and the evidence it was made from, as at `now`. */
export async function readAskPackWithEvidence(
  deps: Pick<ServiceDeps, 'models'>,
  a: StoredAsk,
  now = Date.now(),
): Promise<{ pack: AskPack; evidence: AskEvidence }> {
  const [sources, askTimeline] = await Promise.all([
    readEvidenceSources(deps.models, a.barrierIds),
    getTimeline(deps.models, a),
  ]);
  const evidence = evidenceFrom(sources, now);
  const pack = buildAskPack(
    {
      ask: a,
      evidence,
      barriers: [...sources.barriers, ...sources.merged],
      events: sources.events,
      askTimeline,
    },
    now,
  );
  return { pack, evidence };
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
