/**
 * CSV that opens cleanly in a spreadsheet: RFC 4180 quoting, CRLF line ends,
 * a UTF-8 byte-order mark (so Excel reads accents), and cells that would start
 * a formula (= + - @, tab, carriage return) prefixed with an apostrophe.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export type CsvCell = string | number | null | undefined;

const BOM = '\uFEFF';

const cell = (v: CsvCell) => {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One record, CRLF-terminated. */
export const csvLine = (cells: readonly CsvCell[]): string => `${cells.map(cell).join(',')}\r\n`;

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return BOM + [header, ...rows].map(csvLine).join('');
}

/**
 * Streams a CSV to `out` as rows arrive, waiting when the reader is slower
 * than the database, so an export of the whole register holds one row at a time.
 */
export async function writeCsv(
  out: Writable,
  header: readonly string[],
  rows: AsyncIterable<readonly CsvCell[]>,
): Promise<void> {
  out.write(BOM + csvLine(header));
  for await (const row of rows) {
    if (!out.write(csvLine(row))) await once(out, 'drain');
  }
  out.end();
}

/** A CSV file that cannot be read as records: an unterminated quote, say. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    message: string,
    /** The file's line (1-based) where the problem is. */
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Reads CSV text as RFC 4180 records: quoted cells may hold commas, quotes
 * ("") and line breaks; CRLF and LF line ends alike; a leading byte-order mark
 * is dropped; blank lines are skipped. Each record keeps the file line it
 * starts on, which is what a spreadsheet user calls the row number.
 * @throws {CsvSyntaxError} on a quote that is never closed or stray text after one.
 */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cellText = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    cells.push(cellText);
    if (cells.length > 1 || cells[0] !== '') records.push({ line: recordLine, cells });
    cells = [];
    cellText = '';
  };
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"' && cellText === '') {
      // A quoted cell: runs to the closing quote, "" standing for one quote.
      const openedOn = line;
      i++;
      for (;;) {
        if (i >= src.length) throw new CsvSyntaxError('a quoted cell is never closed', openedOn);
        const c = src[i];
        if (c === '"') {
          if (src[i + 1] === '"') {
            cellText += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        cellText += c;
        i++;
      }
      const after = src[i];
      if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r')
        throw new CsvSyntaxError('text follows a closing quote in the same cell', line);
      continue;
    }
    if (ch === ',') {
      cells.push(cellText);
      cellText = '';
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    cellText += ch;
    i++;
  }
  if (cellText !== '' || cells.length > 0) endRecord();
  return records;
}
