/**
 * PostgreSQL, for FerretDB's PostgreSQL backend (the benchmark's
 * `--database postgresql`): Debian's server, in a throwaway cluster under
 * `dataDir/postgres` on a free port on loopback.
 *
 * PostgreSQL refuses to run as root; started by root it runs as the
 * `postgres` user the Debian package creates.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  StackError,
  freePort,
  requireTool,
  runBuild,
  startProcess,
  waitForPort,
  type ManagedProcess,
} from './process.ts';

const INSTALL =
  'Install PostgreSQL (Debian: apt-get install postgresql) or set POSTGRES_BIN_DIR to the folder holding initdb and postgres.';

/** The folder with `initdb` and `postgres`: POSTGRES_BIN_DIR, else Debian's newest. */
function postgresBinDir(): string {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, 'initdb')))
      throw new StackError(`POSTGRES_BIN_DIR is ${fromEnv}, which has no initdb.`);
    return fromEnv;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new StackError(`The PostgreSQL backend needs PostgreSQL. ${INSTALL}`);
  return join(root, versions[0]!, 'bin');
}

export interface PostgresServer {
  /** For FerretDB's --postgresql-url. */
  url: string;
  process: ManagedProcess;
  /**
   * Gives every FerretDB table of `database` an index its `{_id}` filters can
   * use; returns how many tables it indexed (see ferretDbIdIndexSql).
   */
  indexFerretDbIds(database: string): number;
}

/**
 * FerretDB 1.24 keeps each collection in a table of one `_jsonb` column and
 * pushes `{_id: x}` down as `_jsonb->'_id' @> x`. Its own `_id` index is a
 * btree on `_jsonb->'_id'`, which PostgreSQL cannot use for `@>`, so every
 * read by key scans the table (EXPLAIN: Seq Scan; 0.7 s with 100,000
 * barriers under load). A GIN index on the same expression serves `@>`
 * (EXPLAIN: Bitmap Index Scan, under 0.1 ms), so a read by key costs what it
 * does on MongoDB. FerretDB does not know of the index and need not:
 * PostgreSQL keeps it, and drops it with the table.
 */
const ferretDbIdIndexSql = (schema: string) => `
SET client_min_messages = warning;
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables
           WHERE schemaname = ${literal(schema)} AND left(tablename, 10) <> '_ferretdb_'
  LOOP
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L))',
                   t.tablename || '_gt_id_gin', ${literal(schema)}, t.tablename, '_id');
  END LOOP;
END $$;
SELECT count(*) FROM pg_indexes
 WHERE schemaname = ${literal(schema)} AND right(indexname, 10) = '_gt_id_gin';`;

/** A PostgreSQL string literal. */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export async function startPostgres(options: { dataDir: string }): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const port = await freePort();
  const dir = join(options.dataDir, 'postgres');
  const data = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  let command = (program: string, args: string[]): [string, string[]] => [program, args];
  if (process.getuid?.() === 0) {
    const runuser = requireTool('runuser', 'Running PostgreSQL as root', INSTALL);
    let ids: string[];
    try {
      ids = ['-u', '-g'].map((flag) =>
        execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim(),
      );
    } catch {
      throw new StackError(
        `PostgreSQL will not run as root and there is no postgres user. ${INSTALL}`,
      );
    }
    // It must reach its folder through ours (mkdtemp makes them private).
    chmodSync(options.dataDir, 0o711);
    chownSync(dir, Number(ids[0]), Number(ids[1]));
    command = (program, args) => [runuser, ['-u', 'postgres', '--', program, ...args]];
  }
  await runBuild(
    'PostgreSQL initdb',
    ...command(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']),
    { hint: `see the output above. ${INSTALL}` },
  );
  const proc = startProcess(
    'PostgreSQL',
    ...command(join(bin, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      dir,
    ]),
    join(options.dataDir, 'logs', 'postgres.log'),
  );
  await waitForPort(proc, '127.0.0.1', port, 30_000);
  const psql = (sql: string) =>
    execFileSync(
      join(bin, 'psql'),
      ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-Atqc', sql],
      { encoding: 'utf8' },
    );
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    process: proc,
    indexFerretDbIds: (database) =>
      Number(psql(ferretDbIdIndexSql(database)).trim().split('\n').at(-1)),
  };
}
