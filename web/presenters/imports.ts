/** The import pages' view models: the columns, recent imports, one import's dry run or progress. */
import { IMPORT_COLUMNS } from '../../domain/import/barrier-import.ts';
import type { ImportRefused, StoredImport, plannedRows } from '../../services/imports.ts';
import { formatDate, formatDateTime as london, placeName } from '../../domain/format/index.ts';
import { humanise } from '../format.ts';
import type { NumberedPage } from '../../domain/numbered-page.ts';
import { paginationView } from './pagination.ts';

/** The columns a file may have, for the page's table. */
export const importColumnRows = () =>
  IMPORT_COLUMNS.map((c) => [
    { text: c.header },
    { text: c.required ? 'Required' : 'Optional' },
    { text: c.help },
  ]);

const STATUS_TEXT: Record<string, string> = {
  checked: 'Checked, waiting for confirmation',
  importing: 'Importing',
  done: 'Done',
};

/** Recent imports, newest first, each linking to its page. */
export const importRows = (docs: StoredImport[]) =>
  docs.map((d) => [
    { text: d._id, href: `/import/${d._id}` },
    { text: d.filename },
    { text: london(d.uploadedAt) },
    { text: d.uploadedBy },
    { text: String(d.rows) },
    { text: STATUS_TEXT[d.status] ?? d.status },
  ]);

/** How many recent imports a page shows. */
export const IMPORTS_PAGE_SIZE = 25;

/** The recent imports' table, a page at a time, with its pagination (to the table, not the form above it). */
export function recentImportsView(page: NumberedPage<StoredImport>) {
  const { showing, pagination } = paginationView(
    page,
    (n) => (n > 1 ? `/import?page=${n}#recent-imports` : '/import#recent-imports'),
    'imports',
  );
  return {
    recent: importRows(page.items),
    recentCaption: `Recent imports: ${showing}`,
    recentPagination: pagination,
  };
}

/** One line of an import's progress, the same on the page and from its script. */
export const importProgressText = (
  d: Pick<StoredImport, 'done' | 'rows' | 'created' | 'skipped'>,
) =>
  `${d.done ?? 0} of ${d.rows} rows processed: ${d.created ?? 0} created, ${d.skipped ?? 0} already imported.`;

/** One import: what the dry run found and, once started, how far it has got. */
export function importPageView(d: StoredImport, planned: Awaited<ReturnType<typeof plannedRows>>) {
  const toCreate = d.rows - (d.alreadyImported ?? 0);
  return {
    title: `Import ${d._id}`,
    id: d._id,
    filename: d.filename,
    status: d.status,
    statusText: STATUS_TEXT[d.status] ?? d.status,
    rows: d.rows,
    toCreate,
    alreadyImported: d.alreadyImported ?? 0,
    done: d.done ?? 0,
    created: d.created ?? 0,
    skipped: d.skipped ?? 0,
    percent: d.rows === 0 ? 100 : Math.floor(((d.done ?? 0) * 100) / d.rows),
    progressText: importProgressText(d),
    planned: {
      caption:
        planned.length < d.rows
          ? `The first ${planned.length} of ${d.rows} rows`
          : `The ${d.rows} row${d.rows === 1 ? '' : 's'} of the file`,
      rows: planned.map((p) => [
        { text: String(p.row) },
        { text: p.details.title },
        { text: placeName(p.details.locality, p.details.neighbourhood) },
        { text: formatDate(p.raisedOn) },
        { text: humanise(p.status) },
        p.barrierId
          ? {
              text: p.byThisImport ? p.barrierId : `Imported before as ${p.barrierId}`,
              href: `/barriers/${p.barrierId}`,
            }
          : { text: d.status === 'checked' ? 'Will be created' : 'Not yet' },
      ]),
    },
    summary: [
      { key: { text: 'File' }, value: { text: d.filename } },
      { key: { text: 'Uploaded' }, value: { text: `${london(d.uploadedAt)} by ${d.uploadedBy}` } },
      { key: { text: 'Barriers in the file' }, value: { text: String(d.rows) } },
      ...(d.startedAt
        ? [
            {
              key: { text: 'Started' },
              value: { text: `${london(d.startedAt)} by ${d.startedBy ?? ''}` },
            },
          ]
        : []),
      ...(d.finishedAt
        ? [{ key: { text: 'Finished' }, value: { text: london(d.finishedAt) } }]
        : []),
    ],
  };
}

/** A refused file's problems, as the upload page lists them (row, column, problem). */
export const refusedView = (filename: string, refused: ImportRefused) => ({
  filename,
  count: refused.problemCount,
  shown: refused.problems.length,
  rows: refused.problems.map((p) => [
    { text: String(p.row) },
    { text: p.column ?? '(whole row)' },
    { text: p.problem },
  ]),
});

/**
 * The banner on an import's page just after someone started it (`done` is
 * `started`), while it runs; once done, the page's panel says what it did.
 */
export function importStartedNotice(done: unknown, d: StoredImport): string | undefined {
  if (done !== 'started' || d.status !== 'importing') return undefined;
  const toCreate = d.rows - (d.alreadyImported ?? 0);
  return `Import ${d._id} started: ${toCreate} barrier${toCreate === 1 ? ' is' : 's are'} being created`;
}
