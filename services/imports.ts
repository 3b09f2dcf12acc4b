/**
 * Importing a locality's existing barrier log, for the API and the pages:
 * check a file (the dry run: every problem by row and column, or what would
 * be created), then, once the person confirms, run it as an importWorkflow.
 * Admins import for any locality; a locality lead for their own.
 */
import { canAdminister, canImportInto, canSeeImport } from '../domain/access.ts';
import { numberedPage, type NumberedPage } from '../domain/numbered-page.ts';
import type { Actor } from '../domain/barrier/types.ts';
import {
  checkImport,
  importIdPattern,
  importTemplate,
  type PlannedRow,
  type RowProblem,
} from '../domain/import/barrier-import.ts';
import type { ImportDoc } from '../store/models.ts';
import { findByIds } from '../store/point-reads.ts';
import { latestPolicyCached } from '../store/directory-reads.ts';
import { allocateReference } from '../store/store.ts';
import { importWorkflow, importWorkflowId } from '../workflows/import/import-workflow.ts';
import { requireImporter } from './access.ts';
import { recordAudit, type Via } from './audit.ts';
import { CsvSyntaxError, parseCsv, toCsv } from './csv.ts';
import type { ServiceDeps } from './deps.ts';
import { InvalidInput, NotFound } from './errors.ts';

/** The largest file accepted: 10,000 rows of a full log fit well within it. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** The same, as people read it in refusals ("10 MB"). */
export const MAX_IMPORT_SIZE = `${MAX_IMPORT_BYTES / 1024 / 1024} MB`;

/** How many of a refused file's problems are listed (the count says how many in all). */
const PROBLEMS_SHOWN = 500;

/** A file with problems: nothing was stored or created. */
export class ImportRefused extends InvalidInput {
  constructor(
    readonly problems: RowProblem[],
    readonly problemCount: number,
  ) {
    super(
      `The file has ${problemCount} problem${problemCount === 1 ? '' : 's'}, so nothing was imported. Fix ${problemCount === 1 ? 'it' : 'them'} and upload the file again.`,
      problems.map((p) => ({
        field: p.column ? `rows[${p.row}].${p.column}` : `rows[${p.row}]`,
        reason: p.problem,
      })),
    );
  }
}

export type StoredImport = ImportDoc & { _id: string };

/** The template: the header and one example row, as a CSV file. */
export function importTemplateFile(): { filename: string; csv: string } {
  const { header, example } = importTemplate();
  return { filename: 'golden-thread-import-template.csv', csv: toCsv(header, [example]) };
}

/**
 * The dry run: reads and checks the file. A clean file is stored as an import
 * ready to confirm (nothing is created yet); a file with any problem is refused
 * and nothing is stored.
 * @throws {ImportRefused} listing the problems by row and column.
 */
export async function checkImportFile(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  file: { filename: string; text: string },
): Promise<StoredImport> {
  requireImporter(actor);
  const { models } = deps;
  let records;
  try {
    records = parseCsv(file.text);
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    throw new ImportRefused([{ row: err.line, column: null, problem: err.message }], 1);
  }
  const emails = new Set<string>();
  for (const r of records.slice(1))
    for (const c of r.cells) if (c.includes('@')) emails.add(c.trim().toLowerCase());
  const [localities, people] = await Promise.all([
    models.Locality.find().lean(),
    findByIds(models.Person, [...emails], { _id: 1, kind: 1 }),
  ]);
  const check = checkImport(records, {
    localities: new Map(localities.map((l) => [l._id, l.neighbourhoods])),
    people: new Set(people.filter((p) => p.kind !== 'service').map((p) => p._id)),
    refuseLocality: (locality) =>
      canImportInto(actor, locality)
        ? null
        : `you may import barriers in ${actor.locality ?? 'your locality'} only`,
    now: Date.now(),
  });
  if (check.problems.length > 0)
    throw new ImportRefused(check.problems.slice(0, PROBLEMS_SHOWN), check.problems.length);

  const already = await alreadyImported(deps, check.rows);
  const id = await allocateReference(models, 'import', 'IMP');
  // Rows first: an import is only visible (and startable) once all of them are stored.
  for (let i = 0; i < check.rows.length; i += 500) {
    await models.ImportRow.insertMany(
      check.rows.slice(i, i + 500).map((r, j) => ({
        _id: `${id}:${i + j}`,
        importId: id,
        row: r.row,
        key: r.key,
        details: r.details,
        raisedOn: new Date(r.raisedOn),
        status: r.status,
        resolution: r.resolution,
        ownerEmail: r.ownerEmail,
        raisedBy: r.raisedBy,
      })),
    );
  }
  const doc = {
    _id: id,
    filename: file.filename,
    uploadedBy: actor.email,
    uploadedAt: new Date(),
    status: 'checked',
    rows: check.rows.length,
    alreadyImported: already,
  };
  // As stored, defaults included: no second read.
  return (await models.Import.create(doc)).toObject();
}

/** How many planned rows an earlier import already made into barriers. */
async function alreadyImported(
  deps: Pick<ServiceDeps, 'models'>,
  rows: readonly PlannedRow[],
): Promise<number> {
  const found = await findByIds(
    deps.models.ImportedBarrier,
    rows.map((r) => r.key),
    { _id: 1 },
  );
  return found.length;
}

/** An import the actor may see: their own, or any for an admin. */
export async function visibleImport(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  id: string,
): Promise<StoredImport> {
  requireImporter(actor);
  const doc = importIdPattern.test(id)
    ? ((await deps.models.Import.findById(id).lean()) as StoredImport | null)
    : null;
  if (!doc || !canSeeImport(actor, doc.uploadedBy))
    throw new NotFound(`There is no import ${id} that you can see.`);
  return doc;
}

/** Recent imports the actor may see, newest first. */
export async function recentImports(
  deps: Pick<ServiceDeps, 'models'>,
  actor: Actor,
  page: { number: number; size: number } = { number: 1, size: 25 },
): Promise<NumberedPage<StoredImport>> {
  requireImporter(actor);
  const all = await deps.models.Import.find(canAdminister(actor) ? {} : { uploadedBy: actor.email })
    .sort({ uploadedAt: -1 })
    .lean();
  return numberedPage(all, page.number, page.size);
}

/**
 * Confirms a checked import: starts its workflow (once, however often this is
 * asked) and returns the import as it stands.
 */
export async function startImport(
  deps: ServiceDeps,
  actor: Actor,
  via: Via,
  id: string,
): Promise<StoredImport> {
  const doc = await visibleImport(deps, actor, id);
  if (doc.status === 'done') return doc;
  const { models } = deps;
  const first = await models.Import.updateOne(
    { _id: id, status: 'checked' },
    { $set: { status: 'importing', startedBy: actor.email, startedAt: new Date() } },
  );
  const policy = (await latestPolicyCached(models, deps.defaultPolicy.id)) ?? deps.defaultPolicy;
  // Also when already importing: a crash between the two writes left no workflow.
  await deps.client.workflow.start(importWorkflow, {
    taskQueue: deps.taskQueue,
    workflowId: importWorkflowId(id),
    args: [{ importId: id, source: doc.filename, by: doc.uploadedBy, policy, rows: doc.rows }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  if (first.modifiedCount === 1)
    await recordAudit(deps, actor, via, {
      action: 'import.started',
      target: `import:${id}`,
      before: null,
      after: { file: doc.filename, rows: doc.rows, alreadyImported: doc.alreadyImported },
    });
  return (await models.Import.findById(id).lean()) as StoredImport;
}

/** The first planned rows of an import, each with the barrier an earlier import made of it, if any. */
export async function plannedRows(
  deps: Pick<ServiceDeps, 'models'>,
  doc: StoredImport,
  limit = 200,
) {
  const rows = await findByIds(
    deps.models.ImportRow,
    Array.from({ length: Math.min(limit, doc.rows) }, (_, i) => `${doc._id}:${i}`),
  );
  const claims = await findByIds(
    deps.models.ImportedBarrier,
    rows.map((r) => r.key),
  );
  const made = new Map(claims.map((c) => [c._id, c]));
  return rows.map((r) => {
    const claim = made.get(r.key);
    return {
      row: r.row,
      details: r.details as PlannedRow['details'],
      raisedOn: r.raisedOn,
      status: r.status,
      /** Made by an earlier import (or, once started, by this one). */
      barrierId: claim?.barrierId ?? null,
      byThisImport: claim?.importId === doc._id,
    };
  });
}
