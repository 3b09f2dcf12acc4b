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
