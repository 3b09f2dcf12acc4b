import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, toCsv } from '../../services/csv.ts';

describe('toCsv', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['x, y', 'say "hi"'],
        ['=SUM(A1)', '-1'],
        [null, 'line\nbreak'],
      ],
    );
    expect(csv).toBe('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\'=SUM(A1),\'-1\r\n,"line\nbreak"\r\n');
  });
});

describe('parseCsv', () => {
  it('reads quoted cells, CRLF and LF alike, keeps each record’s line and skips blank lines', () => {
    const text = '\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\n"multi\nline",2\nlast,';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 4, cells: ['multi\nline', '2'] },
      { line: 6, cells: ['last', ''] },
    ]);
  });

  it('reads back what toCsv writes', () => {
    const rows = [
      ['x, y', 'say "hi"'],
      ['', 'line\r\nbreak'],
    ];
    expect(parseCsv(toCsv(['a', 'b'], rows)).map((r) => r.cells)).toEqual([['a', 'b'], ...rows]);
  });

  it('refuses an unclosed quote and text after a closing quote, naming the line', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3')).toThrow(
      expect.objectContaining({ line: 2, message: 'a quoted cell is never closed' }),
    );
    expect(() => parseCsv('a\n"x"y')).toThrow(CsvSyntaxError);
  });
});
