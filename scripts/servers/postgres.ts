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
import { setTimeout as sleep } from 'node:timers/promises';
import {
  StackError,
  freePort,
  progress,
  requireTool,
  runBuild,
  startProcess,
  waitForPort,
  type ManagedProcess,
} from './process.ts';
import { firstBlockedFolder, requireFreeSpace } from './diagnose.ts';

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
  /** How many FerretDB tables of `database` have their GIN indexes. */
  indexedTables(database: string): number;
}

/**
 * The indexes FerretDB's pushed-down filters can use, made by PostgreSQL
 * itself for every table FerretDB creates (an event trigger), so no process
 * of ours needs to know PostgreSQL is there.
 *
 * FerretDB 1.24 keeps each collection in a table of one `_jsonb` column named
 * after it (`barriers_1a2b3c4d`) and pushes an equality on a field down as
 * `_jsonb->'field' @> value` (`_jsonb #> '{a,b}' @> value` for `a.b`). Its own
 * indexes are btrees on `_jsonb->'field'`, which PostgreSQL cannot use for
 * `@>`, so every filter scans the table (EXPLAIN: Seq Scan; 0.7 s a read by
 * key with 100,000 barriers under load). A GIN index on the same expression
 * serves `@>` (Bitmap Index Scan, under 0.1 ms). Every table gets one on
 * `_id`; the fields in `gt_index_paths` (the first key of each index the
 * models declare, store/index-paths.ts) get one on the tables of their
 * collection.
 */
const INDEX_TRIGGER_SQL = `
SET client_min_messages = warning;
CREATE TABLE IF NOT EXISTS public.gt_index_paths (
  collection text NOT NULL,
  path text[] NOT NULL,
  PRIMARY KEY (collection, path)
);
CREATE OR REPLACE FUNCTION public.gt_index_table(nsp text, rel text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE p record; expr text;
BEGIN
  IF left(rel, 10) = '_ferretdb_' THEN RETURN; END IF;
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L))',
                 left(rel, 50) || '_gt_id_gin', nsp, rel, '_id');
  FOR p IN SELECT path FROM public.gt_index_paths
           WHERE rel ~ ('^' || collection || '_[0-9a-f]{8}$') LOOP
    expr := CASE WHEN array_length(p.path, 1) = 1
                 THEN format('_jsonb -> %L', p.path[1])
                 ELSE format('_jsonb #> %L', p.path) END;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((%s))',
                   left(rel, 30) || '_gt_' || left(md5(array_to_string(p.path, '.')), 12),
                   nsp, rel, expr);
  END LOOP;
END $$;
CREATE OR REPLACE FUNCTION public.gt_index_new_tables() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE obj record;
BEGIN
  FOR obj IN SELECT n.nspname, c.relname
             FROM pg_event_trigger_ddl_commands() d
             JOIN pg_class c ON c.oid = d.objid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE d.command_tag = 'CREATE TABLE' AND c.relkind = 'r'
               AND EXISTS (SELECT 1 FROM pg_attribute a
                           WHERE a.attrelid = c.oid AND a.attname = '_jsonb') LOOP
    PERFORM public.gt_index_table(obj.nspname, obj.relname);
  END LOOP;
END $$;
DROP EVENT TRIGGER IF EXISTS gt_index_new_tables;
CREATE EVENT TRIGGER gt_index_new_tables ON ddl_command_end
  WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION public.gt_index_new_tables();`;

/**
 * Gives the FerretDB tables that exist already what the trigger gives new ones:
 * a cluster made before a model declared a new index gets it on its next start
 * (an index already there is left as it is).
 */
const INDEX_EXISTING_SQL = `
SET client_min_messages = warning;
SELECT count(public.gt_index_table(n.nspname, c.relname))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'public')
   AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = '_jsonb');`;

const indexedTablesSql = (schema: string) => `
SELECT count(*) FROM pg_indexes
 WHERE schemaname = ${literal(schema)} AND right(indexname, 10) = '_gt_id_gin';`;

/** A PostgreSQL string literal. */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Runs `sql` with psql on the server at `url` (`postgres://user@host:port/db`)
 * and returns what it prints (unaligned, tuples only); throws on an error.
 */
export function runSql(url: string, sql: string): string {
  const u = new URL(url);
  return execFileSync(
    join(postgresBinDir(), 'psql'),
    [
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      decodeURIComponent(u.username) || 'postgres',
      '-d',
      u.pathname.slice(1) || 'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      '-Atqc',
      sql,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** The rows of gt_index_paths: each collection's indexed fields (dotted paths). */
export type IndexPaths = readonly { collection: string; path: string }[];

/**
 * Starts PostgreSQL with its cluster in `dataDir/postgres/data`: made there on
 * first use, reused after (`npm start`'s data survives a restart). A
 * `throwaway` cluster (tests, the benchmark) skips the disk flushes a crash
 * would need. Installs the index trigger and `indexPaths`, and indexes the
 * tables there already, every time (unless `indexes` is false).
 */
export async function startPostgres(options: {
  dataDir: string;
  port?: number;
  throwaway?: boolean;
  indexPaths?: IndexPaths;
  /** False: no index trigger (the benchmark's `--without-id-index`, to show what it is for). */
  indexes?: boolean;
}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const port = options.port ?? (await freePort());
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
    const blocked = firstBlockedFolder(dir, 'postgres');
    if (blocked !== undefined)
      throw new StackError(
        `PostgreSQL will not run as root, so it runs as the postgres user, and that user cannot enter ${blocked}, on the way to its data folder ${dir}. Choose a data folder it can reach (GOLDEN_THREAD_DATA_DIR, for example /var/tmp/golden-thread), or let others through that folder: chmod o+x ${blocked}. (PostgreSQL itself is installed: ${bin}.)`,
      );
    command = (program, args) => [runuser, ['-u', 'postgres', '--', program, ...args]];
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    const short = requireFreeSpace(dir);
    if (short) throw new StackError(short);
    progress(`PostgreSQL: a new cluster in ${data}`);
    await runBuild(
      'PostgreSQL initdb',
      ...command(join(bin, 'initdb'), [
        '-D',
        data,
        '-A',
        'trust',
        '-U',
        'postgres',
        '-E',
        'UTF8',
        '--no-sync',
      ]),
      { cwd: dir, hint: `see the output above. ${INSTALL}` },
    );
  }
  const settings = [
    // Losing the last moments of commits in a crash, never consistency: right for a local stack.
    ['synchronous_commit', 'off'],
    ['max_connections', '200'],
    // FerretDB prepares its filters with the field as a parameter (`_jsonb->$1 @> $2`).
    // After five runs of a statement PostgreSQL may keep a generic plan, in which
    // `_jsonb->$1` matches no index: chosen while a table is small, it then scans the
    // table on every read (3.3 ms against 0.5 a timeline read with 12,000 events, and
    // growing with the table). Planning each run with its values keeps the GIN indexes.
    ['plan_cache_mode', 'force_custom_plan'],
    ...(options.throwaway
      ? [
          ['fsync', 'off'],
          ['full_page_writes', 'off'],
        ]
      : []),
  ].flatMap(([k, v]) => ['-c', `${k}=${v}`]);
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
      ...settings,
    ]),
    join(options.dataDir, 'logs', 'postgres.log'),
  );
  await waitForPort(proc, '127.0.0.1', port, 30_000);
  const psql = (sql: string) => runSql(`postgres://postgres@127.0.0.1:${port}/postgres`, sql);
  // The port opens before the server takes connections ("the database system is starting up").
  for (let tries = 0; ; tries++) {
    try {
      psql('SELECT 1');
      break;
    } catch (err) {
      if (tries >= 150) {
        await proc.stop();
        throw new StackError(
          `PostgreSQL did not accept connections within 30 s: ${String(err)}. Its log: ${proc.logFile}`,
        );
      }
      await sleep(200);
    }
  }
  try {
    if (options.indexes === false) {
      psql('DROP EVENT TRIGGER IF EXISTS gt_index_new_tables;');
    } else {
      psql(INDEX_TRIGGER_SQL);
      const rows = (options.indexPaths ?? []).map(
        ({ collection, path }) =>
          `(${literal(collection)}, ${literal(`{${path.split('.').join(',')}}`)})`,
      );
      if (rows.length > 0)
        psql(
          `INSERT INTO public.gt_index_paths (collection, path) VALUES ${rows.join(', ')} ON CONFLICT DO NOTHING;`,
        );
      psql(INDEX_EXISTING_SQL);
    }
  } catch (err) {
    await proc.stop();
    throw new StackError(
      `PostgreSQL started but its index trigger could not be installed: ${String(err)}`,
    );
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    process: proc,
    indexedTables: (database) => Number(psql(indexedTablesSql(database)).trim()),
  };
}
