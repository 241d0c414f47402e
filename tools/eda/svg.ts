/**
 * Inline SVG charts for the report: horizontal bars, histograms and a correlation heatmap. Plain
 * markup written here, so the page needs no script, no CDN and no chart library (inline SVG in
 * HTML needs no xmlns either). Every text that comes from the data is escaped.
 */
import type { Histogram } from './analysis.js';

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function svg(width: number, height: number, label: string, body: string): string {
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}">${body}</svg>`;
}

export interface BarItem {
  label: string;
  value: number;
  /** Text after the bar (default: the value). */
  text?: string;
}

/** One bar per item, longest to scale (or to `max`). */
export function barChart(
  items: readonly BarItem[],
  options: { label: string; max?: number; width?: number },
): string {
  const width = options.width ?? 420;
  const labelWidth = 130;
  const textWidth = 96;
  const room = width - labelWidth - textWidth;
  const max = options.max ?? Math.max(0, ...items.map((i) => i.value));
  const row = 16;
  const body = items
    .map((item, k) => {
      const y = k * row + 2;
      const w = max > 0 ? r1((Math.max(0, item.value) / max) * room) : 0;
      const text = item.text ?? String(item.value);
      return (
        `<text x="${labelWidth - 4}" y="${y + 11}" text-anchor="end">${esc(cut(item.label, 20))}</text>` +
        `<rect x="${labelWidth}" y="${y}" width="${w}" height="${row - 4}" class="bar"><title>${esc(`${item.label}: ${text}`)}</title></rect>` +
        `<text x="${labelWidth + w + 4}" y="${y + 11}">${esc(text)}</text>`
      );
    })
    .join('');
  return svg(width, items.length * row + 4, options.label, body);
}

/** Equal-width bars over a column's range; `format` writes an edge (a number, a date). */
export function histogramChart(
  h: Histogram,
  options: { label: string; format: (edge: number) => string },
): string {
  const width = 360;
  const height = 130;
  const left = 8;
  const plotWidth = width - 2 * left;
  const plotHeight = 96;
  const top = 14;
  const max = Math.max(1, ...h.bins.map((b) => b.count));
  const step = plotWidth / Math.max(1, h.bins.length);
  const bars = h.bins
    .map((bin, k) => {
      const bh = r1((bin.count / max) * plotHeight);
      const range = h.unit ? options.format(bin.lo) : `${options.format(bin.lo)} – ${options.format(bin.hi)}`;
      return `<rect x="${r1(left + k * step + 0.5)}" y="${r1(top + plotHeight - bh)}" width="${r1(Math.max(1, step - 1))}" height="${bh}" class="bar"><title>${esc(`${range}: ${bin.count.toLocaleString('en-US')}`)}</title></rect>`;
    })
    .join('');
  const first = h.bins[0];
  const last = h.bins.at(-1);
  const axisY = top + plotHeight;
  const lo = first ? options.format(first.lo) : '';
  const hi = last ? options.format(h.unit ? last.lo : last.hi) : '';
  const body =
    `<text x="${left}" y="10" class="muted">max ${max.toLocaleString('en-US')}</text>${bars}` +
    `<line x1="${left}" y1="${axisY}" x2="${width - left}" y2="${axisY}" class="axis"/>` +
    `<text x="${left}" y="${axisY + 14}">${esc(lo)}</text>` +
    `<text x="${width - left}" y="${axisY + 14}" text-anchor="end">${esc(hi)}</text>`;
  return svg(width, height, options.label, body);
}

/** Blue for negative, red for positive correlations, white at zero. */
function heat(r: number): string {
  const t = Math.min(1, Math.abs(r));
  const fade = (full: number) => Math.round(255 - t * (255 - full));
  return r >= 0 ? `rgb(${fade(200)},${fade(60)},${fade(50)})` : `rgb(${fade(40)},${fade(90)},${fade(200)})`;
}

/** A square matrix of Pearson correlations, labelled on both axes. */
export function heatmapChart(
  names: readonly string[],
  matrix: ReadonlyArray<ReadonlyArray<number | undefined>>,
): string {
  const n = names.length;
  const cell = n <= 12 ? 34 : Math.max(12, Math.floor(420 / n));
  const labelWidth = 120;
  const size = labelWidth + n * cell + 4;
  const cells: string[] = [];
  names.forEach((a, i) => {
    cells.push(
      `<text x="${labelWidth - 4}" y="${labelWidth + i * cell + cell / 2 + 4}" text-anchor="end">${esc(cut(a, 18))}</text>`,
    );
    const x = labelWidth + i * cell + cell / 2 + 4;
    cells.push(
      `<text x="${x}" y="${labelWidth - 4}" transform="rotate(-60 ${x} ${labelWidth - 4})">${esc(cut(a, 18))}</text>`,
    );
    names.forEach((b, j) => {
      const r = matrix[i]?.[j];
      const fill = r === undefined ? '#eee' : heat(r);
      // Rounding keeps the sign of tiny negatives: no "-0.00".
      const value = r === undefined ? 'n/a' : (Math.abs(r) < 0.005 ? 0 : r).toFixed(2);
      const cx = labelWidth + j * cell;
      const cy = labelWidth + i * cell;
      cells.push(
        `<rect x="${cx}" y="${cy}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"><title>${esc(`${a} × ${b}: ${value}`)}</title></rect>`,
      );
      if (cell >= 28 && r !== undefined) {
        cells.push(
          `<text x="${cx + cell / 2}" y="${cy + cell / 2 + 4}" text-anchor="middle" class="${Math.abs(r) > 0.6 ? 'inv' : ''}">${value}</text>`,
        );
      }
    });
  });
  return svg(size, size, 'Correlation heatmap', cells.join(''));
}
