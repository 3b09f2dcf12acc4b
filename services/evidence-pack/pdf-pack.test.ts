import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePack } from '../../test/support/evidence-pack.ts';
import { askPackPdfBuffer } from './pdf-pack.ts';

/** Whether poppler-utils' pdftotext and pdfinfo can be run (Debian: apt-get install poppler-utils). */
const poppler = ['pdftotext', 'pdfinfo'].every((tool) => !spawnSync(tool, ['-v']).error);
if (!poppler)
  console.warn(
    'pdftotext/pdfinfo not found: the evidence pack PDF is not read back. Install poppler-utils (Debian: apt-get install poppler-utils).',
  );

describe('the evidence pack as a tagged PDF', async () => {
  const pack = fixturePack();
  const pdf = await askPackPdfBuffer(pack);
  const raw = pdf.toString('latin1');
  const file = join(mkdtempSync(join(tmpdir(), 'evidence-pack-')), 'pack.pdf');
  writeFileSync(file, pdf);

  it('is the same file for the same ask at the same moment', async () => {
    expect((await askPackPdfBuffer(fixturePack())).equals(pdf)).toBe(true);
  });

  it('has a structure tree, a language, and the chart as a Figure with alternative text', () => {
    expect(raw).toMatch(/\/StructTreeRoot/);
    expect(raw).toContain('/Marked true');
    expect(raw).toContain('/Lang (en-GB)');
    expect(raw).toContain('/DisplayDocTitle true');
    expect(raw).toContain('/S /Figure');
    expect(raw).toContain(`/Alt (${pack.figures.chartAlt})`);
  });

  const foreign = fixturePack();
  const [first] = foreign.cases;
  if (first) first.description = 'Families from Łódź wait ≥ 5 weeks';
  const foreignFile = join(mkdtempSync(join(tmpdir(), 'evidence-pack-')), 'foreign.pdf');
  const foreignPdf = await askPackPdfBuffer(foreign);
  writeFileSync(foreignFile, foreignPdf);

  it('keeps text the standard fonts cannot draw as the structure tree’s ActualText', () => {
    const utf16 = (s: string) => Buffer.from(s, 'utf16le').swap16().toString('latin1');
    expect(foreignPdf.toString('latin1')).toContain(utf16('Families from Łódź wait ≥ 5 weeks'));
  });

  describe.skipIf(!poppler)('read back by poppler-utils (pdfinfo, pdftotext)', () => {
    it('is tagged, with its title', () => {
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(info).toMatch(/^Tagged:\s+yes$/m);
      expect(info).toMatch(new RegExp(`^Title:\\s+${pack.documentTitle}$`, 'm'));
      expect(info).toMatch(/^CreationDate:\s+Mon Dec\s+7 13:20:00 2026 UTC$/m);
      const struct = execFileSync('pdfinfo', ['-struct', file], { encoding: 'utf8' });
      for (const tag of ['H1', 'H2', 'H3', 'H4', 'P', 'Figure', 'Table', 'TH', 'TD', 'L', 'LI'])
        expect(struct).toMatch(new RegExp(`^\\s*${tag}\\b`, 'm'));
      expect(struct).toMatch(/\/Scope \/Column/);
    });

    it('holds the ask, each case, the figures and the chasers as text', () => {
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      const words = text.replace(/\s+/g, ' ');
      expect(words).toContain(pack.ask);
      expect(words).toContain(pack.produced);
      for (const c of pack.cases) {
        expect(words).toContain(c.heading);
        expect(words).toContain(c.description);
      }
      expect(text).toMatch(/Bolton\s+1\s+300/);
      expect(text).toMatch(/Wigan\s+2\s+120/);
      expect(text).toMatch(/All localities\s+3\s+420/);
      expect(words).toContain('• To resolve by 8 October 2026 at 5pm (neighbourhood stage)');
      expect(words).toContain('Chased by GMCA: Raised with the minister’s private office');
    });

    it('draws letters the standard fonts lack without their accents, not as other glyphs', () => {
      const text = execFileSync('pdftotext', [foreignFile, '-'], { encoding: 'utf8' });
      expect(text).toContain('Families from Lódz wait >= 5 weeks');
    });
  });
});
