/**
 * The Grafana dashboard in deploy/grafana is well-formed, and every metric of
 * ours its queries use is one the code registers. (The Temporal SDK's and
 * Node's metrics are checked against a real worker's and API's /metrics in
 * test/integration/metrics.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registry } from '../../observability/metrics/metrics.ts';
import { dashboardExpressions, promqlMetricNames } from '../support/metrics.ts';

const dashboard = JSON.parse(
  readFileSync(new URL('../../deploy/grafana/golden-thread.json', import.meta.url), 'utf8'),
) as {
  uid: string;
  title: string;
  templating: { list: { name: string; type: string }[] };
  panels: {
    id: number;
    type: string;
    title: string;
    gridPos: { h: number; w: number; x: number; y: number };
    datasource?: { uid: string };
    targets?: { refId: string; expr: string }[];
  }[];
};

/** What the registry serves: each name, and a histogram's series names. */
const registered = new Set(
  registry
    .getMetricsAsArray()
    .flatMap((m) =>
      String(m.type) === 'histogram'
        ? [m.name, `${m.name}_bucket`, `${m.name}_count`, `${m.name}_sum`]
        : [m.name],
    ),
);

describe('the Grafana dashboard', () => {
  it('is a dashboard Grafana can import: ids unique, each panel placed, titled and with queries', () => {
    expect(dashboard.uid).toBe('golden-thread');
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource' }),
    );
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) {
      expect(p.title).not.toBe('');
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      if (p.type === 'row') continue;
      expect(p.datasource?.uid).toBe('${datasource}');
      expect(p.targets?.length).toBeGreaterThan(0);
      const refIds = p.targets!.map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
    }
  });

  it('covers the engine, emails, HTTP and the Temporal worker', () => {
    const names = new Set(dashboardExpressions(dashboard).flatMap(promqlMetricNames));
    for (const name of [
      'goldenthread_barriers_open',
      'goldenthread_deadlines_missed_total',
      'goldenthread_email_outbox_depth',
      'goldenthread_http_requests_total',
      'temporal_worker_task_slots_available',
    ])
      expect(names).toContain(name);
  });

  it('uses only metrics of ours that the code registers', () => {
    const ours = dashboardExpressions(dashboard)
      .flatMap(promqlMetricNames)
      .filter((n) => n.startsWith('goldenthread_'));
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.filter((n) => !registered.has(n))).toEqual([]);
  });

  it('reads metric names out of PromQL, and so would notice a misspelt one', () => {
    expect(
      promqlMetricNames(
        'sum by (le, route) (rate(goldenthread_htp_request_duration_seconds_bucket{route!~"/x.*"}[5m])) / on() group_left sum(up offset 5m) and vector(0)',
      ).sort(),
    ).toEqual(['goldenthread_htp_request_duration_seconds_bucket', 'up']);
    expect(registered.has('goldenthread_htp_request_duration_seconds_bucket')).toBe(false);
  });
});
