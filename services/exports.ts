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
import { writeCsv, type CsvCell } from './csv.ts';
import type { ServiceDeps } from './deps.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : '');

/** The barriers export's columns, in order. */
const BARRIER_CSV_HEADER = [
  'Reference',
  'Title',
  'Description',
  'Locality',
  'Neighbourhood',
  'Category',
  'Focus area',
  'People affected',
  'Stage',
  'Status',
  'Owner',
  'Owner email',
  'Raised by',
  'Raised',
  'Acknowledge due',
  'Resolve due',
  'Clock',
  'Breached',
  'At risk',
  'Policy',
  'Closed',
  'Resolution',
  'Link',
];

/** One barrier as a row of {@link BARRIER_CSV_HEADER}; `baseUrl` makes the link absolute. */
function barrierCsvRow(b: BarrierDoc & { _id: string }, baseUrl: string): CsvCell[] {
  return [
    b.reference,
    b.title,
    b.description,
    b.locality,
    b.neighbourhood,
    b.category,
    b.focusArea ?? '',
    b.peopleAffected ?? '',
    b.stage,
    b.status,
    b.owner?.name ?? '',
    b.ownerEmail ?? '',
    b.raisedBy,
    iso(b.raisedAt),
    iso(b.sla.acknowledgeDueAt),
    iso(b.sla.resolveDueAt),
    b.sla.paused
      ? `paused (${b.sla.pauseReason ?? 'paused'})`
      : b.status === 'open'
        ? 'running'
        : 'stopped',
    b.breached ? 'yes' : 'no',
    b.atRisk ? 'yes' : 'no',
    `${b.policy.id}@${b.policy.version}`,
    iso(b.closedAt),
    b.resolution ?? '',
    `${baseUrl}/barriers/${b._id}`,
  ];
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
