/** The formats an ask's evidence pack comes in, and the query that chooses one. */
import { z } from 'zod';

/** An editable Word document, and a tagged PDF. */
export const PACK_FORMATS = ['docx', 'pdf'] as const;
export type PackFormat = (typeof PACK_FORMATS)[number];

/** Each format's media type (a download's Content-Type). */
export const PACK_MEDIA_TYPES: Record<PackFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

/** `?format=docx|pdf` (PDF when not given). */
export const evidencePackQuerySchema = z.strictObject({
  format: z
    .enum(PACK_FORMATS, { error: `must be one of ${PACK_FORMATS.join(', ')}` })
    .default('pdf'),
});
