/** Reading a `/metrics` page the way Prometheus does: one value per series. */

/** Every series on the page (`name{label="value",…}`, labels as written) and its value. */
export type Scrape = Map<string, number>;

/** Fetches and parses `url` (a `/metrics` page). */
export async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** Parses Prometheus's text format: comments skipped, a value per series. */
export function parseMetrics(text: string): Scrape {
  const out: Scrape = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** The names of the metrics a page serves (histograms by their base name too). */
export function metricNames(s: Scrape): Set<string> {
  const names = new Set<string>();
  for (const key of s.keys()) {
    const name = key.split('{')[0]!;
    names.add(name);
    names.add(name.replace(/_(bucket|count|sum)$/, ''));
  }
  return names;
}

/**
 * The sum of every series of `name` whose labels include all of `labels`
 * (0 when there is none).
 */
export function value(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [key, v] of s) {
    const brace = key.indexOf('{');
    if ((brace < 0 ? key : key.slice(0, brace)) !== name) continue;
    if (Object.entries(labels).every(([k, l]) => key.includes(`${k}="${l}"`))) sum += v;
  }
  return sum;
}

const PROMQL_WORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression refers to: every identifier that is
 * not a function (followed by a bracket), a keyword, a label in a matcher or
 * in `by (…)`, a string or a duration.
 */
export function promqlMetricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""') // strings
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\[[^\]]*\]/g, ' ') // ranges
    .replace(/\boffset\s+\S+/gi, ' '); // offsets
  const names = new Set<string>();
  for (const m of bare.matchAll(/(?<![\w.])[A-Za-z_:][A-Za-z0-9_:]*(?=\s*(\()?)/g)) {
    if (m[1] || PROMQL_WORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** Every PromQL expression in a Grafana dashboard's panels (rows' panels too). */
export function dashboardExpressions(dashboard: unknown): string[] {
  const out: string[] = [];
  const visit = (panels: unknown) => {
    for (const p of (panels ?? []) as { targets?: { expr?: string }[]; panels?: unknown }[]) {
      for (const t of p.targets ?? []) if (t.expr) out.push(t.expr);
      visit(p.panels);
    }
  };
  visit((dashboard as { panels?: unknown }).panels);
  return out;
}

/** The metric names a `/metrics` page declares (its TYPE lines, a histogram's series too) or serves. */
export async function scrapeNames(url: string): Promise<Set<string>> {
  const text = await (await fetch(url)).text();
  const names = metricNames(parseMetrics(text));
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(m[1]!);
    if (m[2] === 'histogram' || m[2] === 'summary')
      for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${m[1]}${suffix}`);
  }
  return names;
}
