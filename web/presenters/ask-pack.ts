/** The ask page's links to its evidence pack. */
import { PACK_FORMATS, type PackFormat } from '../../domain/ask/pack-formats.ts';

const FORMAT_NAMES: Record<PackFormat, string> = {
  docx: 'Word document',
  pdf: 'PDF',
};

/** "Download the evidence pack (PDF)", one link a format. */
export const askPackLinks = (askId: string) =>
  PACK_FORMATS.map((format) => ({
    href: `/asks/${encodeURIComponent(askId)}/evidence-pack.${format}`,
    text: `Download the evidence pack (${FORMAT_NAMES[format]})`,
  }));
