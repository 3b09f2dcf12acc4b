/** The SLA dashboard's charts and tables from the service's figures. */
import type { DashboardFigures, FigureRow } from '../../domain/dashboard/figures.ts';
import { barChart } from '../charts.ts';
import { humanise, london } from '../format.ts';

function chart(
  id: string,
  title: string,
  explain: string,
  rows: FigureRow[],
  unit: string,
  headValue: string,
  max?: number,
) {
  // A share of nothing is not 0 %: a stage no barrier has reached has no data yet.
  const shown = (r: FigureRow) => (r.n === 0 ? NO_DATA : `${r.value}${unit}`);
  return {
    id,
    title,
    explain,
    empty: 'Nothing to show yet.',
    csvHref: `/dashboard/${id}.csv`,
    svg: barChart(
      id,
      title,
      rows.map((r) => ({ label: r.label, value: r.value, display: shown(r) })),
      max,
    ),
    head: ['', headValue, ...(rows.some((r) => r.n !== undefined) ? ['Out of'] : [])],
    rows: rows.map((r) => [
      { text: r.label },
      { text: shown(r) },
      ...(r.n !== undefined ? [{ text: String(r.n) }] : []),
    ]),
  };
}

export const NO_DATA = 'No data yet';

/** A chart's table as CSV columns and rows (the cells as the page shows them). */
export function chartCsv(c: ReturnType<typeof chart>) {
  return {
    header: [c.head[0] || 'Label', ...c.head.slice(1)],
    rows: c.rows.map((r) => r.map((x) => x.text)),
  };
}

const labelled = (rows: FigureRow[]) => rows.map((r) => ({ ...r, label: humanise(r.label) }));

export function dashboardView(f: DashboardFigures, now: number) {
  return {
    title: 'SLA dashboard',
    asOf: london(now),
    charts: [
      chart(
        'by-locality',
        'Resolved within target, by locality',
        'The share of resolved or closed barriers that never breached a deadline.',
        labelled(f.byLocality),
        '%',
        'Within target',
        100,
      ),
      chart(
        'by-stage',
        'Within target, by stage',
        'The share of times a barrier reached a stage without a deadline there being missed.',
        labelled(f.byStage),
        '%',
        'Within target',
        100,
      ),
      chart(
        'breaches',
        'Breaches over time',
        'Deadlines missed in each of the last eight weeks.',
        f.breachesByWeek.map((r) => ({
          label: `Week to ${london(r.weekEnding ?? now).slice(0, 10)}`,
          value: r.value,
        })),
        '',
        'Breaches',
      ),
      chart(
        'categories',
        'Open barriers by category',
        'How many barriers are open in each category now.',
        labelled(f.openByCategory),
        '',
        'Open',
      ),
    ],
  };
}
