import { describe, expect, it } from 'vitest';
import { unzip } from '../../test/support/documents.ts';
import { fixturePack } from '../../test/support/evidence-pack.ts';
import { askPackDocxBuffer } from './docx-pack.ts';

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Checks that `xml` is well formed (every element closed, in order); returns its elements. */
function parseXml(xml: string): { name: string; attrs: string; text: string }[] {
  const elements: { name: string; attrs: string; text: string }[] = [];
  const open: { name: string; attrs: string; text: string }[] = [];
  const tokens = xml.replace(/^<\?xml[^>]*\?>/, '').split(/(<[^>]*>)/);
  for (const t of tokens) {
    if (!t.startsWith('<')) {
      expect(t.trim() === '' || open.length > 0, `text outside the root: ${t}`).toBe(true);
      for (const e of open) e.text += unescape(t);
      continue;
    }
    const m = /^<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>$/.exec(t);
    expect(m, `a well-formed tag: ${t}`).not.toBeNull();
    const [, closing, name = '', attrs = '', selfClosing] = m!;
    if (closing) {
      expect(open.pop()?.name, `</${name}> closes the element open`).toBe(name);
    } else {
      const e = { name, attrs, text: '' };
      elements.push(e);
      if (!selfClosing) open.push(e);
    }
  }
  expect(open.map((e) => e.name)).toEqual([]);
  return elements;
}

/** The document's paragraphs as text, with the style each has ("" for none). */
function paragraphs(documentXml: string) {
  const out: { style: string; text: string }[] = [];
  for (const p of documentXml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? []) {
    const style = /<w:pStyle w:val="([^"]+)"/.exec(p)?.[1] ?? '';
    const text = [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
      .map((m) => unescape(m[1]!))
      .join('');
    out.push({ style, text });
  }
  return out;
}

describe('the evidence pack as .docx', async () => {
  const pack = fixturePack();
  const files = unzip(await askPackDocxBuffer(pack));
  const part = (name: string) => {
    const file = files.get(name);
    expect(file, name).toBeDefined();
    return file!.toString('utf8');
  };

  it('is a Word document whose every XML part parses', () => {
    expect(part('[Content_Types].xml')).toContain(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    );
    for (const [name, data] of files)
      if (name.endsWith('.xml') || name.endsWith('.rels')) parseXml(data.toString('utf8'));
  });

  it('holds the ask, each case and the figures, under real headings', () => {
    const ps = paragraphs(part('word/document.xml'));
    const headings = (style: string) => ps.filter((p) => p.style === style).map((p) => p.text);
    expect(headings('Heading1')).toEqual([pack.heading]);
    expect(headings('Heading2')).toEqual([
      'The ask',
      'Why it matters',
      'The figures',
      'The cases',
      'Chasers',
      'History of the ask',
    ]);
    expect(headings('Heading3')).toEqual([
      'People affected by locality',
      'GT-0007: Joint caseload blocked by data sharing rules',
      'GT-0011: Pooled budget refused for family hubs',
      'GT-0012: Universal Credit data not shared with the council',
    ]);
    const text = ps.map((p) => p.text);
    expect(text).toContain(pack.ask);
    expect(text).toContain(pack.produced);
    for (const c of pack.cases) expect(text).toContain(c.description);
    expect(text).toContain('Where: Farnworth & Kearsley, Bolton');
    expect(text).toContain('To resolve by 8 October 2026 at 5pm (neighbourhood stage)');
    expect(text).toContain('Chaser 1 sent automatically: no response by its due date');
  });

  it('gives the figures as a table with a header row, and a chart described by the same numbers', () => {
    const xml = part('word/document.xml');
    const table = /<w:tbl>[\s\S]*?<\/w:tbl>/.exec(xml)?.[0] ?? '';
    const rows = (table.match(/<w:tr>[\s\S]*?<\/w:tr>/g) ?? []).map((r) =>
      paragraphs(r).map((p) => p.text),
    );
    expect(rows).toEqual([
      ['Locality', 'Barriers', 'People affected'],
      ['Bolton', '1', '300'],
      ['Wigan', '2', '120'],
      ['All localities', '3', '420'],
    ]);
    expect(table).toMatch(/<w:tr><w:trPr><w:tblHeader\/><\/w:trPr>/);
    const chart = parseXml(xml).find((e) => e.name === 'wp:docPr');
    expect(unescape(/descr="([^"]*)"/.exec(chart?.attrs ?? '')?.[1] ?? '')).toBe(
      pack.figures.chartAlt,
    );
    expect(part('word/charts/chart1.xml')).toContain('<c:v>300</c:v>');
  });

  it('sets its title and language', () => {
    expect(part('docProps/core.xml')).toContain(`<dc:title>${pack.documentTitle}</dc:title>`);
    expect(part('word/styles.xml')).toMatch(/<w:docDefaults>[\s\S]*<w:lang w:val="en-GB"\/>/);
  });

  it('says the same for the same ask at the same moment', async () => {
    const again = unzip(await askPackDocxBuffer(fixturePack()));
    expect(paragraphs(again.get('word/document.xml')!.toString('utf8'))).toEqual(
      paragraphs(part('word/document.xml')),
    );
  });
});
