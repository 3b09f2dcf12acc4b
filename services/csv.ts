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
