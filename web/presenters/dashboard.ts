/** The SLA dashboard's charts and tables from the service's figures. */
import type { DashboardFigures, FigureRow } from '../../domain/dashboard/figures.ts';
import type { DashboardStanding } from '../../services/dashboard.ts';
import { barChart } from '../charts.ts';
import { LOCALITIES, STAGES } from '../../domain/reference-data.ts';
import {
  categoryName,
  formatDate,
  formatDateTime,
  formatSpan,
  outcomeName,
  placeName,
  sentence,
  stageName,
} from '../../domain/format/index.ts';

function chart(
  id: string,
  title: string,
  explain: string,
  rows: FigureRow[],
  unit: string,
  headValue: string,
  max?: number,
  options: { display?: (r: FigureRow) => string; outOf?: string } = {},
) {
  // A share of nothing is not 0 %: a stage no barrier has reached has no data yet.
  const shown = (r: FigureRow) =>
    r.n === 0 ? NO_DATA : options.display ? options.display(r) : `${r.value}${unit}`;
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
    head: [
      DIMENSION[id] ?? 'Label',
      headValue,
      ...(rows.some((r) => r.n !== undefined) ? [options.outOf ?? 'Out of'] : []),
    ],
    rows: rows.map((r) => [
      { text: r.label },
      { text: shown(r) },
      ...(r.n !== undefined ? [{ text: String(r.n) }] : []),
    ]),
  };
}

export const NO_DATA = 'No data yet';

/** What each chart's rows are, as its table's first heading (and its CSV's). */
const DIMENSION: Record<string, string> = {
  'by-locality': 'Locality',
  'by-stage': 'Stage',
  breaches: 'Week',
  categories: 'Category',
  'open-by-locality': 'Locality',
  'time-to-resolve': 'Stage resolved at',
  'ask-outcomes': 'Outcome',
};

/** Open barriers by locality and stage: a chart of each locality's open barriers, and a table with a column a stage. */
function openByLocalityAndStageChart(rows: DashboardStanding['openByLocalityAndStage']) {
  const id = 'open-by-locality';
  const title = 'Open barriers by locality and stage';
  const bars = rows.map((r) => ({
    label: placeName(r.locality),
    value: r.total,
    display: String(r.total),
  }));
  return {
    id,
    title,
    explain: 'How many barriers are open in each locality now, and at which stage.',
    empty: 'Nothing to show yet.',
    csvHref: `/dashboard/${id}.csv`,
    svg: barChart(id, title, bars),
    head: ['Locality', ...STAGES.map((s) => sentence(stageName(s))), 'All stages'],
    rows: rows.map((r) => [
      { text: placeName(r.locality) },
      ...STAGES.map((s) => ({ text: String(r.byStage[s] ?? 0) })),
      { text: String(r.total) },
    ]),
  };
}

/** "Awaiting an answer" for asks submitted and not yet answered; otherwise the outcome's name. */
const outcomeLabel = (label: string) =>
  label === 'awaiting' ? 'Awaiting an answer' : sentence(outcomeName(label));

/** A chart's table as CSV columns and rows (the cells as the page shows them). */
export function chartCsv(c: ReturnType<typeof chart>) {
  return {
    header: [c.head[0] || 'Label', ...c.head.slice(1)],
    rows: c.rows.map((r) => r.map((x) => x.text)),
  };
}

export function dashboardView(f: DashboardFigures, now: number, standing: DashboardStanding) {
  return {
    title: 'SLA dashboard',
    asOf: formatDateTime(now),
    charts: [
      chart(
        'by-locality',
        'Resolved within target, by locality',
        'The share of resolved or closed barriers that never breached a deadline.',
        // Every locality, saying "No data yet" where none has closed a barrier.
        LOCALITIES.map(
          (l) => f.byLocality.find((r) => r.label === l) ?? { label: l, value: 0, n: 0 },
        ).map((r) => ({ ...r, label: placeName(r.label) })),
        '%',
        'Within target',
        100,
      ),
      chart(
        'by-stage',
        'Within target, by stage',
        'The share of times a barrier reached a stage without a deadline there being missed.',
        f.byStage.map((r) => ({ ...r, label: sentence(stageName(r.label)) })),
        '%',
        'Within target',
        100,
      ),
      chart(
        'breaches',
        'Breaches over time',
        'Deadlines missed in each of the last eight weeks.',
        f.breachesByWeek.map((r) => ({
          label: `Week to ${formatDate(r.weekEnding ?? now)}`,
          value: r.value,
        })),
        '',
        'Breaches',
      ),
      chart(
        'categories',
        'Open barriers by category',
        'How many barriers are open in each category now.',
        f.openByCategory.map((r) => ({ ...r, label: sentence(categoryName(r.label)) })),
        '',
        'Open',
      ),
      openByLocalityAndStageChart(standing.openByLocalityAndStage),
      chart(
        'time-to-resolve',
        'Median time to resolve, by stage',
        'The median working time from raised to resolved, by the stage a barrier was resolved at (closed by Whitehall agreeing an ask counts as resolved there). Times of a working day or more are counted in whole hours, shorter ones in whole minutes (whole seconds under a minute), so a median may be up to an hour short.',
        standing.medianResolveByStage.map((r) => ({ ...r, label: sentence(stageName(r.label)) })),
        '',
        'Median time to resolve',
        undefined,
        {
          display: (r) => formatSpan(r.value, 'working-hours-england-and-wales'),
          outOf: 'Resolved',
        },
      ),
      chart(
        'ask-outcomes',
        'Whitehall asks by outcome',
        'How many asks government has answered with each outcome, and how many submitted asks await an answer.',
        standing.asksByOutcome.map((r) => ({ ...r, label: outcomeLabel(r.label) })),
        '',
        'Asks',
      ),
    ],
  };
}
