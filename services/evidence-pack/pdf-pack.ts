/**
 * The evidence pack as a tagged PDF (`pdfkit`): every heading, paragraph,
 * list and table cell in the structure tree, the chart a Figure with
 * alternative text giving its numbers, the document's title (shown in the
 * window's title bar) and language set. Its creation date is the moment the
 * pack was produced, so the same pack gives the same bytes.
 */
import PDFDocument from 'pdfkit';
import type { AskPack, PackEntry, PackFact } from './ask-pack.ts';
import { winAnsi } from './win-ansi.ts';

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MARGIN = 56;
/** Heading sizes by level, in points. */
const SIZES = { 1: 22, 2: 16, 3: 13, 4: 11 } as const;
/** GOV.UK's blue, for the chart's bars; text stays black on white. */
const BAR = '#1d70b8';

/** What pdfkit's tables take beyond @types/pdfkit's options: the tagging ones. */
type TaggedTableOptions = PDFKit.Mixins.TableOptionsWithData & { structParent: Struct };
type TaggedCell = PDFKit.Mixins.CellOptions & { scope?: 'column' | 'row' };

/** The text as written, for the structure tree, where the glyphs drawn had to differ. */
const actual = (text: string): PDFKit.Mixins.StructureElementOptions =>
  winAnsi(text) === text ? {} : { actual: text };

class PackWriter {
  constructor(
    private readonly doc: Doc,
    private readonly root: Struct,
  ) {}

  heading(level: keyof typeof SIZES, text: string) {
    const { doc } = this;
    // Keep a heading with what follows it.
    if (doc.y > doc.page.height - MARGIN - (level <= 2 ? 140 : 90)) doc.addPage();
    doc.moveDown(level === 1 ? 0.2 : 0.8);
    this.root.add(
      doc.struct(`H${level}`, actual(text), () => {
        doc.font(BOLD).fontSize(SIZES[level]).text(winAnsi(text));
      }),
    );
    doc.moveDown(0.3);
  }

  paragraph(text: string, bold?: string) {
    const { doc } = this;
    this.root.add(
      doc.struct('P', actual((bold ?? '') + text), () => {
        if (bold) doc.font(BOLD).fontSize(11).text(winAnsi(bold), { continued: true });
        doc.font(FONT).fontSize(11).text(winAnsi(text));
      }),
    );
    doc.moveDown(0.4);
  }

  facts(list: PackFact[]) {
    for (const f of list) this.paragraph(f.value, `${f.key}: `);
  }

  list(items: string[]) {
    const { doc } = this;
    const list = doc.struct('L');
    this.root.add(list);
    for (const item of items) {
      const li = doc.struct('LI');
      list.add(li);
      const y = doc.y;
      li.add(
        doc.struct('Lbl', {}, () => {
          doc
            .font(FONT)
            .fontSize(11)
            .text('•', MARGIN + 6, y, { lineBreak: false });
        }),
      );
      li.add(
        doc.struct('LBody', actual(item), () => {
          doc.text(winAnsi(item), MARGIN + 20, y, { width: doc.page.width - MARGIN * 2 - 20 });
        }),
      );
      li.end();
      doc.moveDown(0.2);
    }
    list.end();
    doc.x = MARGIN;
    doc.moveDown(0.4);
  }

  table(head: string[], rows: string[][], widths: number[]) {
    const { doc } = this;
    const options: TaggedTableOptions = {
      structParent: this.root,
      columnStyles: widths,
      defaultStyle: {
        border: 0.5,
        borderColor: '#b1b4b6',
        padding: { top: 4, right: 6, bottom: 4, left: 6 },
      },
      data: [
        head.map((text): TaggedCell => ({
          text: winAnsi(text),
          type: 'TH',
          scope: 'column',
          font: { src: BOLD, size: 11 },
        })),
        ...rows.map((r) =>
          r.map((text): TaggedCell => ({ text: winAnsi(text), font: { src: FONT, size: 11 } })),
        ),
      ],
    };
    doc.x = MARGIN;
    doc.table(options);
    doc.x = MARGIN;
    doc.moveDown(0.6);
  }

  entries(list: PackEntry[], empty: string) {
    if (list.length === 0) this.paragraph(empty);
    else
      this.table(
        ['When', 'What happened'],
        list.map((e) => [e.when, e.what]),
        [150, this.doc.page.width - MARGIN * 2 - 150],
      );
  }

  /** A bar chart of people affected by locality, one bar a row of the figures' table. */
  chart(pack: AskPack) {
    const { doc } = this;
    const f = pack.figures;
    const rowHeight = 22;
    const height = 10 + f.rows.length * rowHeight;
    if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
    const top = doc.y;
    const labelWidth = 110;
    const plot = doc.page.width - MARGIN * 2 - labelWidth - 50;
    const max = Math.max(1, ...f.rows.map((r) => r.people));
    this.root.add(
      doc.struct('Figure', { alt: f.chartAlt }, () => {
        f.rows.forEach((r, i) => {
          const y = top + 4 + i * rowHeight;
          const width = (r.people / max) * plot;
          doc.font(FONT).fontSize(10).fillColor('black');
          doc.text(winAnsi(r.locality), MARGIN, y + 4, { width: labelWidth - 8, lineBreak: false });
          doc.rect(MARGIN + labelWidth, y, Math.max(width, 1), rowHeight - 6).fill(BAR);
          doc
            .fillColor('black')
            .text(String(r.people), MARGIN + labelWidth + width + 6, y + 4, { lineBreak: false });
        });
        doc
          .moveTo(MARGIN + labelWidth, top)
          .lineTo(MARGIN + labelWidth, top + 4 + f.rows.length * rowHeight)
          .lineWidth(0.75)
          .stroke('black');
      }),
    );
    doc.x = MARGIN;
    doc.y = top + height + 6;
  }
}

/** The pack as a tagged PDF's bytes. */
export function askPackPdfBuffer(pack: AskPack): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    tagged: true,
    lang: pack.language,
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: pack.documentTitle,
      Subject: pack.caption,
      Author: 'Golden Thread',
      Creator: 'Golden Thread',
      Keywords: `${pack.reference}, evidence pack, Whitehall ask`,
      CreationDate: pack.producedAt,
      ModDate: pack.producedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  const w = new PackWriter(doc, root);
  const f = pack.figures;
  const full = doc.page.width - MARGIN * 2;

  w.paragraph(pack.caption);
  w.heading(1, pack.heading);
  w.paragraph(pack.produced);
  w.heading(2, 'The ask');
  w.paragraph(pack.ask);
  w.facts(pack.summary);
  w.heading(2, 'Why it matters');
  for (const p of pack.whyItMatters) w.paragraph(p);
  w.heading(2, 'The figures');
  w.heading(3, f.caption);
  if (f.rows.length) w.chart(pack);
  w.table(
    f.head,
    [
      ...f.rows.map((r) => [r.locality, String(r.barriers), String(r.people)]),
      ['All localities', String(f.total.barriers), String(f.total.people)],
    ],
    [full * 0.5, full * 0.25, full * 0.25],
  );
  if (f.note) w.paragraph(f.note);
  w.heading(2, 'The cases');
  for (const c of pack.cases) {
    w.heading(3, c.heading);
    w.paragraph(c.description);
    w.facts(c.facts);
    w.heading(4, 'Deadlines missed');
    if (c.deadlinesMissed.length) w.list(c.deadlinesMissed);
    else w.paragraph('None.');
    w.heading(4, 'Escalation history');
    w.entries(c.history, 'Nothing recorded.');
  }
  w.heading(2, 'Chasers');
  w.paragraph(pack.chasers.summary);
  if (pack.chasers.items.length) w.entries(pack.chasers.items, '');
  w.heading(2, 'History of the ask');
  w.entries(pack.history, 'Nothing recorded.');

  root.end();
  doc.end();
  return done;
}
