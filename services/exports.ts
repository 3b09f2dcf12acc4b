/**
 * Exports as CSV, the same from the API and the pages: the barriers register
 * (every barrier the reader may see that matches their filters and search,
 * streamed) and the Whitehall asks register. Columns are documented in the
 * README; the CSV rules are services/csv.ts.
 */
import { departmentName } from '../domain/reference-data.ts';
import type { AskEvidence } from '../store/ask-queries.ts';
import type { Writable } from 'node:stream';
import type { Actor } from '../domain/barrier/types.ts';
import type { BarrierListQuery } from '../store/barrier-queries.ts';
import type { AskDoc, BarrierDoc } from '../store/models.ts';
import { exportVisibleBarriers } from './barriers.ts';
import { publicBarrier, type PublicBarrier } from './public-barrier.ts';
import { writeCsv, type CsvCell } from './csv.ts';
import type { ServiceDeps } from './deps.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : '');

/**
 * The barriers export's columns, in order: each a header and the cell it
 * takes from the barrier's public shape (services/public-barrier.ts), so the
 * spreadsheet says what the API says.
 */
const BARRIER_CSV_COLUMNS: readonly [string, (b: PublicBarrier, link: string) => CsvCell][] = [
  ['Reference', (b) => b.reference],
  ['Title', (b) => b.title],
  ['Description', (b) => b.description],
  ['Locality', (b) => b.locality],
  ['Neighbourhood', (b) => b.neighbourhood],
  ['Category', (b) => b.category],
  ['Focus area', (b) => b.focusArea ?? ''],
  ['People affected', (b) => b.peopleAffected ?? ''],
  ['Stage', (b) => b.stage],
  ['Status', (b) => b.status],
  ['Owner', (b) => b.owner?.name ?? ''],
  ['Owner email', (b) => b.owner?.email ?? ''],
  ['Raised by', (b) => b.raisedBy],
  ['Raised', (b) => b.raisedAt ?? ''],
  ['Acknowledge due', (b) => b.sla.acknowledgeDueAt ?? ''],
  ['Resolve due', (b) => b.sla.resolveDueAt ?? ''],
  [
    'Clock',
    (b) =>
      b.sla.paused
        ? `paused (${b.sla.pauseReason ?? 'paused'})`
        : b.status === 'open'
          ? 'running'
          : 'stopped',
  ],
  ['Breached', (b) => (b.sla.breached ? 'yes' : 'no')],
  ['At risk', (b) => (b.sla.atRisk ? 'yes' : 'no')],
  ['Policy', (b) => `${b.policyVersion.id}@${b.policyVersion.version}`],
  ['Closed', (b) => b.closedAt ?? ''],
  ['Resolution', (b) => b.resolution ?? ''],
  ['Link', (_b, link) => link],
];

const BARRIER_CSV_HEADER = BARRIER_CSV_COLUMNS.map(([header]) => header);

/** One barrier as a row of {@link BARRIER_CSV_COLUMNS}; `baseUrl` makes the link absolute. */
function barrierCsvRow(doc: BarrierDoc & { _id: string }, baseUrl: string): CsvCell[] {
  const b = publicBarrier(doc);
  const link = `${baseUrl}/barriers/${b.id}`;
  return BARRIER_CSV_COLUMNS.map(([, cell]) => cell(b, link));
}

/**
 * The barriers export for one reader and query: checked now (a list outside
 * their scope throws Forbidden before anything is sent), written as the
 * reader takes it.
 */
export function barriersCsv(
  deps: Pick<ServiceDeps, 'models' | 'publicBaseUrl'>,
  actor: Actor,
  query: Omit<BarrierListQuery, 'limit' | 'cursor'>,
): { filename: string; write(out: Writable): Promise<void> } {
  const rows = exportVisibleBarriers(deps, actor, query);
  return {
    filename: 'golden-thread-barriers.csv',
    write: (out) =>
      writeCsv(
        out,
        BARRIER_CSV_HEADER,
        mapRows(rows, (b) => barrierCsvRow(b, deps.publicBaseUrl ?? '')),
      ),
  };
}

/** Rows of an async source, mapped as they arrive. */
async function* mapRows<T>(
  source: AsyncIterable<T>,
  row: (item: T) => CsvCell[],
): AsyncIterable<CsvCell[]> {
  for await (const item of source) yield row(item);
}

/** The asks register as CSV columns and rows. */
export function askCsvRows(asks: (AskDoc & { _id: string })[]) {
  const ev = (a: AskDoc) => (a.evidence ?? null) as AskEvidence | null;
  return {
    header: [
      'Reference',
      'Title',
      'Department',
      'Status',
      'Outcome',
      'Barriers',
      'Barrier references',
      'Localities',
      'People affected',
      'Breaches',
      'Created',
      'Submitted',
      'Response due',
      'Responded',
      'Response',
    ],
    rows: asks.map((a) => [
      a.reference,
      a.title,
      departmentName(a.department),
      a.status,
      a.outcome ?? '',
      a.barrierIds.length,
      a.barrierIds.join('; '),
      (ev(a)?.localities ?? []).join('; '),
      ev(a)?.peopleAffected ?? '',
      ev(a)?.breaches ?? '',
      iso(a.createdAt),
      iso(a.submittedAt),
      iso(a.dueAt),
      iso(a.respondedAt),
      a.response ?? '',
    ]),
  };
}
