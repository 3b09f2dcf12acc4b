/** Benchmark results as JSON, a Markdown table and an SVG chart, under bench/results/. */
import type { ClusteredEmails } from '../sections/lag.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { barChart } from '../../web/charts.ts';
import type { Percentiles } from './stats.ts';

export interface BenchSection {
  name: string;
  rows: { what: string; value: number; unit: string; detail?: Percentiles }[];
  ratio?: { what: string; value: number; target?: number };
  targets?: { what: string; met: boolean }[];
}

export interface BenchResult {
  mode: string;
  sizes: Record<string, number>;
  /** What the run ran against, in words (which database, and how it was set up). */
  servers?: string;
  at: string;
  /** Wall time of the whole run so far, servers included. */
  elapsedS?: number;
  sections: BenchSection[];
  latency?: Record<string, Percentiles>;
  lag?: { readModel: Percentiles; email: Percentiles; escalated: number; of: number };
  /** Clustered deadlines on a worker with the email window (sections/lag.ts). */
  emailWindow?: ClusteredEmails;
  scale?: Record<string, unknown>;
  /** Memory while barriers were being held, sampled as the count grew (kept if the run stops early). */
  holding?: HoldingSample[];
}

export interface HoldingSample {
  /** Seconds since the held section started. */
  atS: number;
  /** Held barriers routed so far (their owner was emailed). */
  routed: number;
  workerMiB: number | null;
  temporalMiB: number | null;
  ferretdbMiB: number | null;
}

const OUT = new URL('../results/', import.meta.url);

export function markdown(r: BenchResult): string {
  const lines = [
    `# Benchmark results (${r.mode}, ${r.at})`,
    '',
    `Sizes: \`${JSON.stringify(r.sizes)}\`${r.elapsedS === undefined ? '' : `; the run took ${r.elapsedS} s, servers included`}`,
    '',
    ...(r.servers ? [`Servers: ${r.servers}`, ''] : []),
  ];
  for (const s of r.sections) {
    lines.push(
      `## ${s.name}`,
      '',
      '| measure | value | p50 | p95 | p99 | max |',
      '|---|---|---|---|---|---|',
    );
    for (const row of s.rows) {
      const d = row.detail;
      lines.push(
        `| ${row.what} | ${row.value} ${row.unit} | ${d ? `${d.p50}` : ''} | ${d ? `${d.p95}` : ''} | ${d ? `${d.p99}` : ''} | ${d ? `${d.max}` : ''} |`,
      );
    }
    if (s.ratio)
      lines.push(
        '',
        `**Ratio, ${s.ratio.what}: ${s.ratio.value}**${s.ratio.target !== undefined ? ` (target ≥ ${s.ratio.target}: ${s.ratio.value >= s.ratio.target ? 'met' : 'not met'})` : ''}`,
      );
    for (const t of s.targets ?? [])
      lines.push('', `Target: ${t.what}: **${t.met ? 'met' : 'not met'}**`);
    lines.push('');
  }
  if (r.holding?.length) {
    lines.push(
      '## Memory while holding barriers',
      '',
      '| seconds | routed | worker RSS MiB | Temporal RSS MiB | FerretDB RSS MiB |',
      '|---|---|---|---|---|',
      ...r.holding.map(
        (h) =>
          `| ${h.atS} | ${h.routed} | ${h.workerMiB ?? ''} | ${h.temporalMiB ?? ''} | ${h.ferretdbMiB ?? ''} |`,
      ),
      '',
    );
  }
  return lines.join('\n');
}

export function svg(r: BenchResult): string {
  const bars = [
    ...Object.entries(r.latency ?? {}).map(([k, p]) => ({
      label: `${k} p99`,
      value: p.p99,
      display: `${p.p99} ms`,
    })),
    ...(r.lag
      ? (
          [
            ['escalation lag p50', r.lag.readModel.p50],
            ['escalation lag p99', r.lag.readModel.p99],
            ['escalation lag max', r.lag.readModel.max],
            ['breach email lag p99', r.lag.email.p99],
          ] as const
        ).map(([label, value]) => ({ label, value, display: `${value} ms` }))
      : []),
  ];
  return barChart('bench', `Latency percentiles and escalation lag (${r.mode})`, bars);
}

/** Writes the run's files; returns their paths. */
export function writeReport(r: BenchResult): string[] {
  mkdirSync(OUT, { recursive: true });
  const stamp = r.at.replace(/[:.]/g, '-');
  const files: [string, string][] = [
    [`${stamp}-${r.mode}.json`, `${JSON.stringify(r, null, 2)}\n`],
    [`latest-${r.mode}.md`, markdown(r)],
    [`latest-${r.mode}.svg`, svg(r)],
  ];
  for (const [name, content] of files) writeFileSync(new URL(name, OUT), content);
  return files.map(([name]) => new URL(name, OUT).pathname);
}
