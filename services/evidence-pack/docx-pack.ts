/**
 * The evidence pack as an editable Word document (`docx`): real headings,
 * tables whose first row is a repeating header row, bulleted lists, and the
 * document's title and language set, so a screen reader and Word's
 * accessibility checker find their way.
 */
import {
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import { ChartRun } from 'docx/charts';
import type { AskPack, PackEntry, PackFact } from './ask-pack.ts';

const heading = (text: string, heading: (typeof HeadingLevel)[keyof typeof HeadingLevel]) =>
  new Paragraph({ text, heading });

const para = (...children: ParagraphChild[]) =>
  new Paragraph({ children, spacing: { after: 120 } });

const text = (s: string) => para(new TextRun(s));

const facts = (list: PackFact[]) =>
  list.map((f) => para(new TextRun({ text: `${f.key}: `, bold: true }), new TextRun(f.value)));

const bullets = (items: string[]) =>
  items.map((s) => new Paragraph({ text: s, bullet: { level: 0 } }));

const cell = (s: string, header = false) =>
  new TableCell({
    children: [new Paragraph({ children: [new TextRun({ text: s, bold: header })] })],
  });

/** A table whose first row is its header row (repeated on every page it spans). */
function table(head: string[], rows: string[][], widths: number[]) {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: widths,
    rows: [
      new TableRow({ tableHeader: true, children: head.map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
    ],
  });
}

const entries = (list: PackEntry[], empty: string) =>
  list.length === 0
    ? [text(empty)]
    : [
        table(
          ['When', 'What happened'],
          list.map((e) => [e.when, e.what]),
          [2800, 6200],
        ),
      ];

/** Word's own bar chart of the table's numbers (editable in Word), described for screen readers. */
function chart({ figures: f }: AskPack) {
  return new Paragraph({
    children: [
      new ChartRun({
        type: 'bar',
        title: f.head[2],
        categories: f.rows.map((r) => r.locality),
        series: [{ name: f.head[2], values: f.rows.map((r) => r.people) }],
        legend: false,
        dataLabels: { value: true },
        altText: { name: f.chartTitle, title: f.chartTitle, description: f.chartAlt },
      }),
    ],
  });
}

/** The pack's Word document. */
export function askPackDocx(pack: AskPack): Document {
  const f = pack.figures;
  return new Document({
    title: pack.documentTitle,
    subject: pack.caption,
    creator: 'Golden Thread',
    lastModifiedBy: 'Golden Thread',
    description: pack.produced,
    styles: {
      default: { document: { run: { language: { value: pack.language }, font: 'Arial' } } },
    },
    sections: [
      {
        children: [
          text(pack.caption),
          heading(pack.heading, HeadingLevel.HEADING_1),
          text(pack.produced),
          heading('The ask', HeadingLevel.HEADING_2),
          text(pack.ask),
          ...facts(pack.summary),
          heading('Why it matters', HeadingLevel.HEADING_2),
          ...pack.whyItMatters.map(text),
          heading('The figures', HeadingLevel.HEADING_2),
          heading(f.caption, HeadingLevel.HEADING_3),
          ...(f.rows.length ? [chart(pack)] : []),
          table(
            f.head,
            [
              ...f.rows.map((r) => [r.locality, String(r.barriers), String(r.people)]),
              ['All localities', String(f.total.barriers), String(f.total.people)],
            ],
            [4000, 2500, 2500],
          ),
          ...(f.note ? [text(f.note)] : []),
          heading('The cases', HeadingLevel.HEADING_2),
          ...pack.cases.flatMap((c) => [
            heading(c.heading, HeadingLevel.HEADING_3),
            text(c.description),
            ...facts(c.facts),
            heading('Deadlines missed', HeadingLevel.HEADING_4),
            ...(c.deadlinesMissed.length ? bullets(c.deadlinesMissed) : [text('None.')]),
            heading('Escalation history', HeadingLevel.HEADING_4),
            ...entries(c.history, 'Nothing recorded.'),
          ]),
          heading('Chasers', HeadingLevel.HEADING_2),
          text(pack.chasers.summary),
          ...(pack.chasers.items.length ? entries(pack.chasers.items, '') : []),
          heading('History of the ask', HeadingLevel.HEADING_2),
          ...entries(pack.history, 'Nothing recorded.'),
        ],
      },
    ],
  });
}

/** The pack as .docx bytes. */
export function askPackDocxBuffer(pack: AskPack): Promise<Buffer> {
  return Packer.toBuffer(askPackDocx(pack));
}
