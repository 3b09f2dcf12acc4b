/**
 * Bar charts drawn on the server as SVG: no client-side chart library, no
 * CDN. Each chart has a title and description for assistive technology, and
 * every page that shows one also shows the same numbers as a table.
 */
import { escapeHtml } from '../notify/templates.ts';

export interface Bar {
  label: string;
  value: number;
  /** Shown after the bar, e.g. "75%" or "12". */
  display: string;
}

/** How wide a chart's labels and longest bar are drawn (before it scales to its column). */
export interface ChartSize {
  labelWidth: number;
  barWidth: number;
}

/**
 * A horizontal bar chart; `max` fixes the scale (e.g. 100 for percentages).
 * A narrower `size` keeps its words readable when it scales down to a phone.
 */
export function barChart(
  id: string,
  title: string,
  bars: Bar[],
  max?: number,
  size: ChartSize = { labelWidth: 200, barWidth: 360 },
): string {
  const rowHeight = 28;
  const { labelWidth, barWidth } = size;
  const width = labelWidth + barWidth + 70;
  const height = Math.max(1, bars.length) * rowHeight + 10;
  const top = max ?? Math.max(1, ...bars.map((b) => b.value));
  const rows = bars
    .map((b, i) => {
      const y = 5 + i * rowHeight;
      const w = Math.round((Math.max(0, b.value) / top) * barWidth);
      return [
        `<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end" class="gt-chart__label">${escapeHtml(b.label)}</text>`,
        `<rect x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowHeight - 10}" fill="#1d70b8"></rect>`,
        `<text x="${labelWidth + w + 6}" y="${y + 18}" class="gt-chart__value">${escapeHtml(b.display)}</text>`,
      ].join('');
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="Arial, sans-serif" font-size="14" fill="#0b0c0c"><title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(bars.map((b) => `${b.label}: ${b.display}`).join('; ') || 'No data')}</desc>${rows}</svg>`;
}
