/**
 * Importing a locality's existing barrier log: the columns a file may have,
 * and the check of every row against them, the reference data and what the
 * importer may do. Pure: the caller reads the directory and passes what the
 * rows need, so the dry run and the import itself can never disagree.
 */
import { isoDate, londonDate, londonWallClock } from '../calendar/london-time.ts';
import { raiseBarrierSchema, type RaiseBarrier } from '../barrier/schemas.ts';
import { CATEGORIES, FOCUS_AREAS, LOCALITIES } from '../reference-data.ts';

/** One column of the import file. `key` names it in code; `header` in the file. */
export interface ImportColumn {
  key: ImportColumnKey;
  header: string;
  required: boolean;
  /** What goes in it, as the template and the README say. */
  help: string;
}

export type ImportColumnKey =
  | 'title'
  | 'description'
  | 'locality'
  | 'neighbourhood'
  | 'category'
  | 'focusArea'
  | 'peopleAffected'
  | 'raisedOn'
  | 'status'
  | 'resolution'
  | 'ownerEmail'
  | 'raisedBy';

export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { key: 'title', header: 'Title', required: true, help: 'Up to 200 characters.' },
  {
    key: 'description',
    header: 'Description',
    required: true,
    help: 'What blocks the service, up to 5,000 characters.',
  },
  {
    key: 'locality',
    header: 'Locality',
    required: true,
    help: `One of the ten localities: ${LOCALITIES.join(', ')} (names or slugs).`,
  },
  {
    key: 'neighbourhood',
    header: 'Neighbourhood',
    required: true,
    help: 'A neighbourhood of that locality, by name or slug.',
  },
  {
    key: 'category',
    header: 'Category',
    required: true,
    help: `One of: ${CATEGORIES.join(', ')}.`,
  },
  {
    key: 'focusArea',
    header: 'Focus area',
    required: false,
    help: `Optional. One of: ${FOCUS_AREAS.join(', ')}.`,
  },
  {
    key: 'peopleAffected',
    header: 'People affected',
    required: false,
    help: 'Optional. A whole number.',
  },
  {
    key: 'raisedOn',
    header: 'Raised on',
    required: true,
    help: 'The date it was first logged, such as 14/03/2026. Not in the future.',
  },
  {
    key: 'status',
    header: 'Status',
    required: false,
    help: 'open (the default), resolved (or closed) or withdrawn.',
  },
  {
    key: 'resolution',
    header: 'Resolution',
    required: false,
    help: 'For resolved rows, how it was resolved (required); for withdrawn rows, why.',
  },
  {
    key: 'ownerEmail',
    header: 'Owner email',
    required: false,
    help: 'Optional. Someone in the directory who owns it now; otherwise it is routed as a new barrier is.',
  },
  {
    key: 'raisedBy',
    header: 'Raised by',
    required: false,
    help: 'Optional. The email of whoever raised it; the importer is recorded when they are not in the directory.',
  },
];

/** The most rows one file may have. */
export const MAX_IMPORT_ROWS = 10_000;

/** An import's reference: IMP-0001 onwards. */
export const importIdPattern = /^IMP-\d{4,}$/;

/** Characters an import's file name must not hold: control characters and path separators. */
const FILENAME_FORBIDDEN = '\\x00-\\x1f/\\\\';

/** What an import's file name may be (it is shown on pages and the timeline). */
export const IMPORT_FILENAME = {
  maxLength: 200,
  pattern: new RegExp(`^[^${FILENAME_FORBIDDEN}]+$`),
  fallback: 'import.csv',
} as const;

/** An uploaded file's name made fit to keep: the forbidden characters dropped, cut to length. */
export const cleanImportFilename = (name: string): string =>
  name
    .replace(new RegExp(`[${FILENAME_FORBIDDEN}]`, 'g'), '')
    .trim()
    .slice(0, IMPORT_FILENAME.maxLength) || IMPORT_FILENAME.fallback;

export type ImportStatus = 'open' | 'resolved' | 'withdrawn';

/** A row that will become a barrier. */
export interface PlannedRow {
  /** The file's line number: the row number a spreadsheet shows (the header is row 1). */
  row: number;
  /** What makes two rows the same barrier, in this file or across imports. */
  key: string;
  details: RaiseBarrier;
  /** Midnight (Europe/London) of the day it was first logged. */
  raisedOn: number;
  status: ImportStatus;
  resolution: string | null;
  /** A directory person who owns it now, if the row names one. */
  ownerEmail: string | null;
  /** A directory person who raised it, if the row names one; else the importer. */
  raisedBy: string | null;
}

/** One problem with the file, by row and column (row 1 is the header). */
export interface RowProblem {
  row: number;
  column: string | null;
  problem: string;
}

/** What the rows are checked against. */
export interface ImportContext {
  /** Each locality's neighbourhoods, as slug and name. */
  localities: ReadonlyMap<string, readonly { slug: string; name: string }[]>;
  /** Emails in the directory (lowercase) of people. */
  people: ReadonlySet<string>;
  /** Why the importer may not import into a locality, or null when they may. */
  refuseLocality: (locality: string) => string | null;
  now: number;
}

export interface ImportCheck {
  rows: PlannedRow[];
  problems: RowProblem[];
}

const EARLIEST = Date.UTC(2000, 0, 1);

/** `Data sharing`, `data_sharing`, `DATA-SHARING` → `data-sharing`. */
const toSlug = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** What makes a header name a column: case, spaces and punctuation do not matter. */
const headerKey = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

const COLUMN_BY_HEADER = new Map(IMPORT_COLUMNS.map((c) => [headerKey(c.header), c]));

/** A date as people type it in a barrier log, as the London midnight it names; null if unreadable. */
export function readDate(text: string): number | null {
  const s = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  let ymd: [number, number, number] | null = m ? [+m[1]!, +m[2]!, +m[3]!] : null;
  if (!ymd) {
    m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(s);
    if (m) ymd = [+m[3]!, +m[2]!, +m[1]!];
  }
  if (!ymd) return null;
  const [year, month, day] = ymd;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return londonWallClock({ year, month, day }, 0);
}

/** The identity of a barrier in imports: the same place, title and day is the same barrier. */
export function importKey(
  details: Pick<RaiseBarrier, 'locality' | 'neighbourhood' | 'title'>,
  raisedOn: number,
): string {
  const title = details.title.trim().toLowerCase().replace(/\s+/g, ' ');
  return `${details.locality}|${details.neighbourhood}|${isoDate(londonDate(raisedOn))}|${title}`;
}

const STATUS_WORDS: Record<string, ImportStatus> = {
  '': 'open',
  open: 'open',
  'in-progress': 'open',
  resolved: 'resolved',
  closed: 'resolved',
  done: 'resolved',
  withdrawn: 'withdrawn',
};

/** A column's header by its key (the raise schema's field names are the same keys). */
const HEADER_OF = new Map<string, string>(IMPORT_COLUMNS.map((c) => [c.key, c.header]));

/**
 * Checks a file's records (the first is the header) and plans a barrier for
 * each good row. Every problem is listed, by row and column; a file with any
 * problem imports nothing.
 */
export function checkImport(
  records: readonly { line: number; cells: readonly string[] }[],
  ctx: ImportContext,
): ImportCheck {
  const problems: RowProblem[] = [];
  const rows: PlannedRow[] = [];
  const [header, ...data] = records;
  if (!header) {
    return {
      rows,
      problems: [
        {
          row: 1,
          column: null,
          problem: 'The file is empty: it needs a header row and at least one barrier.',
        },
      ],
    };
  }
  // Which cell holds which column.
  const at = new Map<ImportColumnKey, number>();
  header.cells.forEach((name, i) => {
    const column = COLUMN_BY_HEADER.get(headerKey(name));
    if (!column) {
      if (name.trim() !== '')
        problems.push({
          row: header.line,
          column: name.trim(),
          problem: `is not a column Golden Thread knows; the columns are ${IMPORT_COLUMNS.map((c) => c.header).join(', ')}`,
        });
      return;
    }
    if (at.has(column.key))
      problems.push({
        row: header.line,
        column: column.header,
        problem: 'appears twice in the header',
      });
    else at.set(column.key, i);
  });
  for (const c of IMPORT_COLUMNS)
    if (c.required && !at.has(c.key))
      problems.push({
        row: header.line,
        column: c.header,
        problem: 'is missing from the header row',
      });
  if (problems.length > 0) return { rows, problems };
  if (data.length === 0)
    return {
      rows,
      problems: [
        { row: header.line, column: null, problem: 'The file has a header but no barriers.' },
      ],
    };
  if (data.length > MAX_IMPORT_ROWS)
    return {
      rows,
      problems: [
        {
          row: header.line,
          column: null,
          problem: `The file has ${data.length} rows; split it into files of at most ${MAX_IMPORT_ROWS}.`,
        },
      ],
    };

  const firstRowOf = new Map<string, number>();
  for (const record of data) {
    const row = record.line;
    const cell = (key: ImportColumnKey) => {
      const i = at.get(key);
      return i === undefined ? '' : (record.cells[i] ?? '').trim();
    };
    const problem = (column: string | null, text: string) =>
      problems.push({ row, column, problem: text });
    const before = problems.length;
    header.cells.forEach((name, i) => {
      if (record.cells[i]?.includes('\u0000'))
        problem(name.trim() || null, 'contains a NUL character, which no text may hold');
    });
    if (record.cells.length > header.cells.length)
      problem(
        null,
        `has ${record.cells.length} cells but the header has ${header.cells.length}: check for an unquoted comma`,
      );

    const locality = toSlug(cell('locality'));
    const neighbourhoods = ctx.localities.get(locality);
    let neighbourhood = toSlug(cell('neighbourhood'));
    if (cell('locality') === '') problem('Locality', 'is empty');
    else if (!neighbourhoods)
      problem('Locality', `${cell('locality')} is not one of ${LOCALITIES.join(', ')}`);
    else {
      const refusal = ctx.refuseLocality(locality);
      if (refusal) problem('Locality', refusal);
      const found = neighbourhoods.find(
        (n) => n.slug === neighbourhood || toSlug(n.name) === neighbourhood,
      );
      if (cell('neighbourhood') === '') problem('Neighbourhood', 'is empty');
      else if (!found)
        problem('Neighbourhood', `${cell('neighbourhood')} is not a neighbourhood of ${locality}`);
      else neighbourhood = found.slug;
    }

    const peopleText = cell('peopleAffected').replace(/,/g, '');
    const peopleAffected = peopleText === '' ? undefined : Number(peopleText);
    const candidate = {
      title: cell('title'),
      description: cell('description'),
      locality,
      neighbourhood,
      category: toSlug(cell('category')),
      ...(cell('focusArea') ? { focusArea: toSlug(cell('focusArea')) } : {}),
      ...(peopleAffected === undefined ? {} : { peopleAffected }),
    };
    const parsed = raiseBarrierSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        // Locality and neighbourhood have their own, clearer, messages above.
        if (field === 'locality' || field === 'neighbourhood') continue;
        if (field === 'peopleAffected' && Number.isNaN(peopleAffected)) {
          problem('People affected', `${cell('peopleAffected')} is not a whole number`);
          continue;
        }
        problem(HEADER_OF.get(field) ?? null, issue.message);
      }
    }

    const raisedOnText = cell('raisedOn');
    const raisedOn = readDate(raisedOnText);
    if (raisedOnText === '') problem('Raised on', 'is empty');
    else if (raisedOn === null)
      problem('Raised on', `${raisedOnText} is not a date such as 2026-03-14 or 14/03/2026`);
    else if (raisedOn > ctx.now) problem('Raised on', `${raisedOnText} is in the future`);
    else if (raisedOn < EARLIEST) problem('Raised on', `${raisedOnText} is before 2000`);

    const status = STATUS_WORDS[toSlug(cell('status'))];
    const resolution = cell('resolution');
    if (!status) problem('Status', `${cell('status')} is not open, resolved, closed or withdrawn`);
    else if (status === 'resolved' && resolution === '')
      problem('Resolution', 'is empty: a resolved barrier needs its resolution');
    else if (status === 'open' && resolution !== '')
      problem('Resolution', 'is only for resolved or withdrawn rows: clear it or set the status');
    if (resolution.length > 2000) problem('Resolution', 'must be at most 2000 characters');

    const person = (key: 'ownerEmail' | 'raisedBy', column: string, mustExist: boolean) => {
      const email = cell(key).toLowerCase();
      if (email === '') return null;
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        problem(column, `${cell(key)} is not an email address`);
        return null;
      }
      if (ctx.people.has(email)) return email;
      if (mustExist) problem(column, `${email} is not in the directory`);
      return null;
    };
    const ownerEmail = person('ownerEmail', 'Owner email', status === 'open');
    const raisedBy = person('raisedBy', 'Raised by', false);

    if (problems.length > before || !parsed.success || raisedOn === null || !status) continue;
    const key = importKey(parsed.data, raisedOn);
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      problem(
        null,
        `is the same barrier as row ${first} (same locality, neighbourhood, title and date)`,
      );
      continue;
    }
    firstRowOf.set(key, row);
    rows.push({
      row,
      key,
      details: parsed.data,
      raisedOn,
      status,
      resolution: resolution === '' ? null : resolution,
      ownerEmail,
      raisedBy,
    });
  }
  return { rows: problems.length > 0 ? [] : rows, problems };
}

/** The template's header and one example row. */
export function importTemplate(): { header: string[]; example: string[] } {
  const example: Record<ImportColumnKey, string> = {
    title: 'Cannot share safeguarding records with the housing team',
    description: 'Each service holds its own records and no agreement lets them be shared.',
    locality: 'wigan',
    neighbourhood: 'leigh',
    category: 'data-sharing',
    focusArea: 'prevention',
    peopleAffected: '120',
    raisedOn: '2026-03-14',
    status: 'open',
    resolution: '',
    ownerEmail: '',
    raisedBy: '',
  };
  return {
    header: IMPORT_COLUMNS.map((c) => c.header),
    example: IMPORT_COLUMNS.map((c) => example[c.key]),
  };
}
