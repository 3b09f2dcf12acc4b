import { describe, expect, it } from 'vitest';
import { PACK_NOW, fixturePack, packModels } from '../../test/support/evidence-pack.ts';
import { askPackDocument, readAskPack } from './evidence-pack.ts';

describe('reading an ask’s evidence pack', () => {
  it('reads each barrier, the duplicates merged into them and every timeline once', async () => {
    const { models, reads, ask } = packModels();
    expect(await readAskPack({ models }, ask, PACK_NOW)).toEqual(fixturePack());
    // GT-0007, GT-0011, GT-0012 and GT-0013 (merged into GT-0011); their timelines and the ask's.
    expect(reads).toEqual({ barriers: 4, timelines: 5 });
  });

  it('names the download after the ask and gives its media type', async () => {
    const { models, ask } = packModels();
    const pdf = await askPackDocument({ models }, ask, 'pdf', PACK_NOW);
    expect(pdf.filename).toBe('ASK-0003-evidence-pack.pdf');
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const docx = await askPackDocument({ models }, ask, 'docx', PACK_NOW);
    expect(docx.filename).toBe('ASK-0003-evidence-pack.docx');
    expect(docx.contentType).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(docx.body.subarray(0, 2).toString()).toBe('PK');
  });
});
