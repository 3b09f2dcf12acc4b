/** The bench's command line: what to measure, at which size, on which database. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** The sections, in the order they run; `--only` picks some. */
export const SECTIONS = [
  'lifecycle',
  'api',
  'lag',
  'scale',
  'horizontal',
  'import',
  'webhooks',
  'observability',
] as const;
export type Section = (typeof SECTIONS)[number];

export const USAGE =
  'usage: npm run bench -- [--quick | --scale large] [--database postgresql|sqlite] [--without-id-index]\n' +
  `                        [--only ${SECTIONS.join(',')}] [--profile] [--tracing]`;

export type Sizes = {
  throughput: number;
  /** Raises (and raw workflows) in flight at once in the lifecycle and scale sections. */
  concurrency: number;
  store: number;
  /**
   * Calls per API latency row. A stall of the machine holds all the calls in flight
   * (ten) at once: with 200 calls one stall was 5 % of a row and decided its p99;
   * with 1,000 it takes more than one, as it would for the people using it.
   */
  requests: number;
  /** Concurrent clients in the API latency rows (the ten readers). */
  readers: number;
  lag: number;
  lagSpreadS: number;
  held: number;
  /** Rows of the barrier log the import section imports. */
  importRows: number;
};

const SIZES: Record<'quick' | 'default' | 'large', Sizes> = {
  quick: {
    throughput: 100,
    concurrency: 10,
    store: 1_000,
    requests: 1_000,
    readers: 10,
    lag: 20,
    lagSpreadS: 5,
    held: 100,
    importRows: 300,
  },
  default: {
    throughput: 400,
    concurrency: 20,
    store: 10_000,
    requests: 1_000,
    readers: 10,
    lag: 1_000,
    lagSpreadS: 60,
    held: 10_000,
    importRows: 5_000,
  },
  large: {
    throughput: 1_000,
    concurrency: 20,
    store: 100_000,
    requests: 1_000,
    readers: 10,
    lag: 2_000,
    lagSpreadS: 120,
    held: 100_000,
    importRows: 5_000,
  },
};

export interface BenchOptions {
  quick: boolean;
  large: boolean;
  sizes: Sizes;
  /** The backend of the FerretDB the bench starts (when MONGODB_URI names no server). */
  database: 'sqlite' | 'postgresql';
  withoutIdIndex: boolean;
  /** The sections this run measures. */
  only: Set<Section>;
  /** Some sections only, by --only (named in the run's mode). */
  partial: boolean;
  /** `--profile`: each worker process and the API write a V8 CPU profile here when the run ends. */
  profileDir?: string;
  /** `--tracing`: the API and the workers trace every request and workflow (100 %) into a Jaeger started here. */
  tracing: boolean;
}

/** A command line the bench cannot run; the message says why. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses the bench's arguments. @throws {UsageError} naming what is wrong. */
export function parseBenchOptions(args: string[], resultsDir: string): BenchOptions {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        quick: { type: 'boolean', default: false },
        scale: { type: 'string', default: 'default' },
        database: { type: 'string', default: 'postgresql' },
        profile: { type: 'boolean', default: false },
        tracing: { type: 'boolean', default: false },
        'without-id-index': { type: 'boolean', default: false },
        only: { type: 'string' },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const names = values.only?.split(',') ?? [];
  for (const name of names)
    if (!(SECTIONS as readonly string[]).includes(name))
      throw new UsageError(`--only takes sections among ${SECTIONS.join(', ')}, not ${name}`);
  if (values.scale !== 'default' && values.scale !== 'large')
    throw new UsageError(`--scale must be large (or left out), not ${values.scale}`);
  if (values.quick && values.scale === 'large')
    throw new UsageError('--quick and --scale large are two different sizes: choose one');
  if (values.database !== 'sqlite' && values.database !== 'postgresql')
    throw new UsageError(`--database must be sqlite or postgresql, not ${values.database}`);
  if (values['without-id-index'] && values.database !== 'postgresql')
    throw new UsageError('--without-id-index is for PostgreSQL, not --database sqlite');
  const only = new Set<Section>(values.only ? (names as Section[]) : SECTIONS);
  if ((only.has('api') || only.has('horizontal') || only.has('import')) && !only.has('lifecycle'))
    throw new UsageError(
      '--only: api, horizontal and import are measured against lifecycle; add lifecycle',
    );
  const large = values.scale === 'large';
  return {
    quick: values.quick,
    large,
    sizes: SIZES[values.quick ? 'quick' : large ? 'large' : 'default'],
    database: values.database,
    withoutIdIndex: values['without-id-index'],
    only,
    partial: values.only !== undefined,
    profileDir: values.profile
      ? join(resultsDir, `profiles-${new Date().toISOString().replace(/[:.]/g, '-')}`)
      : undefined,
    tracing: values.tracing,
  };
}
