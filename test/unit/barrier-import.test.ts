import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../services/csv.ts';
import {
  checkImport,
  cleanImportFilename,
  IMPORT_FILENAME,
  importKey,
  importTemplate,
  readDate,
  type ImportContext,
} from '../../domain/import/barrier-import.ts';

const NOW = Date.UTC(2026, 10, 28, 12);
const ctx: ImportContext = {
  localities: new Map([
    [
      'wigan',
      [
        { slug: 'leigh', name: 'Leigh' },
        { slug: 'hindley-abram', name: 'Hindley & Abram' },
      ],
    ],
    ['bolton', [{ slug: 'farnworth', name: 'Farnworth' }]],
  ]),
  people: new Set(['nl.leigh@wigan.gov.uk']),
  refuseLocality: (l) => (l === 'wigan' ? null : 'you may import barriers in wigan only'),
  now: NOW,
};
const HEADER =
  'Title,Description,Locality,Neighbourhood,Category,Focus area,People affected,Raised on,Status,Resolution,Owner email,Raised by';
const check = (...rows: string[]) => checkImport(parseCsv([HEADER, ...rows].join('\r\n')), ctx);

describe('checkImport', () => {
  it('plans a barrier for each good row, reading names, labels and UK dates', () => {
    const { rows, problems } = check(
      'No data sharing,Records cannot be shared,Wigan,Hindley & Abram,Data sharing,Prevention,"1,200",14/03/2026,,,nl.leigh@wigan.gov.uk,',
      'Ring-fenced budget,Cannot pool,wigan,leigh,funding,,,2025-11-02,Closed,Agreed a pooled budget,,someone@elsewhere.org',
    );
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      row: 2,
      details: {
        title: 'No data sharing',
        locality: 'wigan',
        neighbourhood: 'hindley-abram',
        category: 'data-sharing',
        focusArea: 'prevention',
        peopleAffected: 1200,
      },
      raisedOn: Date.UTC(2026, 2, 14), // GMT in March before the clocks change
      status: 'open',
      ownerEmail: 'nl.leigh@wigan.gov.uk',
      raisedBy: null,
    });
    expect(rows[1]).toMatchObject({
      row: 3,
      status: 'resolved',
      resolution: 'Agreed a pooled budget',
      raisedBy: null, // not in the directory: the importer is recorded
    });
  });

  it('lists every problem by row and column, and plans nothing when there is one', () => {
    const { rows, problems } = check(
      ',Records,wigan,leigh,data-sharing,,,2026-03-14,,,,',
      'Title,Desc,wigan,atlantis,data-sharing,,,2026-02-30,,,,',
      'Title,Desc,bolton,farnworth,plumbing,,lots,2099-01-01,resolved,,,',
      'Fine,Desc,wigan,leigh,funding,,,2026-01-05,open,Too early,nobody@wigan.gov.uk,',
      'Fine,Desc,wigan,leigh,funding,,,2026-01-05,,,,',
      'Fine,Desc,wigan,leigh,funding,,,05/01/2026,,,,',
    );
    expect(rows).toEqual([]);
    expect(problems).toEqual([
      { row: 2, column: 'Title', problem: 'must not be empty' },
      { row: 3, column: 'Neighbourhood', problem: 'atlantis is not a neighbourhood of wigan' },
      {
        row: 3,
        column: 'Raised on',
        problem: '2026-02-30 is not a date such as 2026-03-14 or 14/03/2026',
      },
      { row: 4, column: 'Locality', problem: 'you may import barriers in wigan only' },
      { row: 4, column: 'Category', problem: expect.stringContaining('must be one of') },
      { row: 4, column: 'People affected', problem: 'lots is not a whole number' },
      { row: 4, column: 'Raised on', problem: '2099-01-01 is in the future' },
      {
        row: 4,
        column: 'Resolution',
        problem: 'is empty: a resolved barrier needs its resolution',
      },
      {
        row: 5,
        column: 'Resolution',
        problem: expect.stringContaining('only for resolved or withdrawn'),
      },
      { row: 5, column: 'Owner email', problem: 'nobody@wigan.gov.uk is not in the directory' },
      {
        row: 7,
        column: null,
        problem: 'is the same barrier as row 6 (same locality, neighbourhood, title and date)',
      },
    ]);
  });

  it('says which header columns are missing or unknown', () => {
    const { problems } = checkImport(parseCsv('Title,Colour\nx,red'), ctx);
    expect(problems).toContainEqual({
      row: 1,
      column: 'Colour',
      problem: expect.stringContaining('is not a column'),
    });
    expect(problems).toContainEqual({
      row: 1,
      column: 'Raised on',
      problem: 'is missing from the header row',
    });
    expect(checkImport([], ctx).problems[0]!.problem).toContain('empty');
    expect(checkImport(parseCsv(HEADER), ctx).problems[0]!.problem).toContain('no barriers');
  });

  it('accepts its own template once the example is in scope', () => {
    const { header, example } = importTemplate();
    const { problems } = checkImport(
      [
        { line: 1, cells: header },
        { line: 2, cells: example },
      ],
      ctx,
    );
    expect(problems).toEqual([]);
  });
});

describe('importKey', () => {
  it('is the same for the same place, day and title whatever the case and spacing', () => {
    const a = importKey(
      { locality: 'wigan', neighbourhood: 'leigh', title: 'No  Data sharing ' },
      readDate('2026-07-01')!,
    );
    const b = importKey(
      { locality: 'wigan', neighbourhood: 'leigh', title: 'no data sharing' },
      readDate('01/07/2026')!,
    );
    expect(a).toBe(b);
    expect(a).toBe('wigan|leigh|2026-07-01|no data sharing');
    expect(readDate('2026-07-01')).toBe(Date.UTC(2026, 5, 30, 23)); // BST midnight
  });
});

describe('checkImport and NUL characters', () => {
  it('reports a cell holding one by row and column (PostgreSQL could not store it)', () => {
    const { problems } = check('Ti\u0000tle,Desc,wigan,leigh,funding,,,2026-01-05,,,,');
    expect(problems).toContainEqual({
      row: 2,
      column: 'Title',
      problem: 'contains a NUL character, which no text may hold',
    });
  });
});

describe('an import file name', () => {
  it('keeps an upload name without path separators or control characters, and no longer than the API accepts', () => {
    expect(cleanImportFilename('Wigan log, March.csv')).toBe('Wigan log, March.csv');
    expect(cleanImportFilename('C:\\logs/../wigan\u0007.csv')).toBe('C:logs..wigan.csv');
    expect(cleanImportFilename('//\u0000')).toBe('import.csv');
    const long = cleanImportFilename(`${'x'.repeat(300)}.csv`);
    expect(long).toHaveLength(IMPORT_FILENAME.maxLength);
    // What the upload keeps, the API's own rule accepts.
    expect(IMPORT_FILENAME.pattern.test(long)).toBe(true);
    expect(IMPORT_FILENAME.pattern.test(cleanImportFilename('a/b\\c'))).toBe(true);
    expect(IMPORT_FILENAME.pattern.test('a/b')).toBe(false);
  });
});
