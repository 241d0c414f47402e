/**
 * The report: one HTML file with inline CSS and inline SVG, readable offline and small enough to
 * attach to a ticket. Sections: overview, findings, advice, missingness, correlations, target,
 * then one section per column.
 */
import { formatBytes, formatCount, formatNumber } from '../query/format.js';
import type { Analysis, ColumnSummary, Histogram } from './analysis.js';
import type { Finding, ModelAdvice, Suggestion } from './schemas.js';
import { barChart, esc, heatmapChart, histogramChart } from './svg.js';

export interface ReportParts {
  analysis: Analysis;
  findings: readonly Finding[];
  suggestions: readonly Suggestion[];
  models: ModelAdvice;
  generatedAt: Date;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px 24px;color:#222}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}h3{font-size:15px;margin:0 0 6px}
table{border-collapse:collapse;margin:6px 0}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums}.grid{display:flex;flex-wrap:wrap;gap:8px 28px}.stat b{display:block;font-size:18px}
.sev{border-radius:3px;padding:1px 6px;color:#fff;font-size:12px}.critical{background:#b3261e}.warning{background:#c77700}.info{background:#50698f}
.col{border:1px solid #e4e4e4;border-radius:6px;padding:10px 14px;margin:12px 0;display:flex;flex-wrap:wrap;gap:8px 24px}
svg{font:11px system-ui,sans-serif;overflow:visible}svg text{fill:#333}svg .muted{fill:#777}svg .inv{fill:#fff}.bar{fill:#4c78a8}.axis{stroke:#999}
.muted{color:#777}code{background:#f4f4f4;padding:0 3px;border-radius:3px}`;

const fmt = (value: number | string | undefined): string => esc(formatNumber(value));

function dateEdge(h: Histogram): (edge: number) => string {
  const first = h.bins[0]?.lo ?? 0;
  const last = h.bins.at(-1)?.hi ?? 0;
  const length = last - first < 10 * 86_400 ? 16 : 10;
  return (edge) => new Date(edge * 1000).toISOString().slice(0, length).replace('T', ' ');
}

function table(rows: ReadonlyArray<readonly [string, string]>): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td class="num">${v}</td></tr>`).join('')}</table>`;
}

function overview(a: Analysis, parts: ReportParts): string {
  const kinds = new Map<string, number>();
  for (const c of a.columns) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
  const stat = (label: string, value: string) => `<div class="stat">${esc(label)}<b>${value}</b></div>`;
  const t = a.timings;
  return `<section id="overview"><div class="grid">${[
    stat('rows', formatCount(a.rows)),
    stat('columns', formatCount(a.columns.length)),
    stat('file size', `${formatBytes(a.fileBytes)} (${a.format})`),
    stat('in memory (est.)', formatBytes(a.memoryBytes)),
    stat('types', esc([...kinds].map(([k, n]) => `${n} ${k}`).join(', '))),
    stat(
      'task',
      esc(a.target ? `${a.target.task.replace('_', ' ')} of ${a.target.name}` : 'exploration (no target)'),
    ),
  ].join(
    '',
  )}</div><p class="muted">Generated ${esc(parts.generatedAt.toISOString())} by <code>datastack generate eda</code>; two DuckDB scans: ${t.overview_ms} ms + ${t.distributions_ms} ms.</p></section>`;
}

function findingsSection(findings: readonly Finding[]): string {
  const rows = findings
    .map(
      (f) =>
        `<tr><td><span class="sev ${f.severity}">${f.severity}</span></td><td>${esc(f.kind)}</td><td>${esc(f.message)}</td></tr>`,
    )
    .join('');
  return `<section id="findings"><h2>Findings (${findings.length})</h2>${findings.length ? `<table>${rows}</table>` : '<p>No data-quality problem found by the rules.</p>'}</section>`;
}

function adviceSection(suggestions: readonly Suggestion[], models: ModelAdvice): string {
  const rows = suggestions
    .map(
      (s) =>
        `<tr><td>${esc(s.kind)}</td><td>${esc(s.columns.join(', '))}</td><td>${esc(s.message)}</td></tr>`,
    )
    .join('');
  const list = (items: readonly string[]) => `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
  return `<section id="advice"><h2>Feature engineering and models</h2>${rows ? `<table>${rows}</table>` : ''}<div class="grid"><div><h3>Algorithms</h3>${list(models.algorithms)}</div><div><h3>Metrics</h3>${list(models.metrics)}</div><div><h3>Validation</h3><p>${esc(models.validation)}</p></div></div></section>`;
}

function missingSection(a: Analysis): string {
  const items = a.columns.map((c) => ({
    label: c.name,
    value: c.nullShare * 100,
    text: `${formatNumber(Math.round(c.nullShare * 1000) / 10)}%`,
  }));
  const total = a.columns.reduce((sum, c) => sum + c.nulls, 0);
  return `<section id="missing"><h2>Missing values</h2><p>${formatCount(total)} missing cells in all.</p>${barChart(items, { label: 'Missing values per column (%)', max: 100 })}</section>`;
}

function correlationSection(a: Analysis): string {
  const { names, matrix } = a.correlation;
  const body =
    names.length >= 2
      ? heatmapChart(names, matrix)
      : '<p>Fewer than two numeric columns: no correlations.</p>';
  return `<section id="correlations"><h2>Correlations (Pearson)</h2>${body}</section>`;
}

function targetSection(a: Analysis): string {
  const t = a.target;
  if (!t) return '';
  const parts: string[] = [];
  if (t.classes) {
    const total = t.classes.reduce((sum, c) => sum + c.count, 0);
    const items = t.classes.map((c) => ({
      label: c.label,
      value: c.count,
      text: `${formatCount(c.count)} (${total ? ((100 * c.count) / total).toFixed(1) : 0}%)`,
    }));
    parts.push(`<div><h3>Class balance</h3>${barChart(items, { label: 'Rows per class' })}</div>`);
    if (t.separation.length) {
      const sep = t.separation
        .slice(0, 15)
        .map((s) => ({ label: s.column, value: s.eta2, text: s.eta2.toFixed(2) }));
      parts.push(
        `<div><h3>Separation of classes (η²)</h3>${barChart(sep, { label: 'Variance explained by the class', max: 1 })}</div>`,
      );
      const features = t.separation.slice(0, 8).map((s) => s.column);
      const head = `<tr><th>class</th>${features.map((f) => `<th>${esc(f)}</th>`).join('')}</tr>`;
      const rows = t.classes
        .slice(0, 20)
        .map(
          (c) =>
            `<tr><td>${esc(c.label)}</td>${features.map((f) => `<td class="num">${fmt(c.means[f])}</td>`).join('')}</tr>`,
        );
      parts.push(`<div><h3>Mean per class</h3><table>${head}${rows.join('')}</table></div>`);
    }
  }
  if (t.correlations.length) {
    const items = t.correlations
      .slice(0, 15)
      .map((c) => ({ label: c.column, value: Math.abs(c.r), text: c.r.toFixed(2) }));
    parts.push(
      `<div><h3>Correlation with ${esc(t.name)} (|r|)</h3>${barChart(items, { label: 'Correlation with the target', max: 1 })}</div>`,
    );
  }
  if (!parts.length) parts.push('<p>No numeric feature to relate to the target.</p>');
  return `<section id="target"><h2>Target: ${esc(t.name)} (${esc(t.task.replace('_', ' '))})</h2><div class="grid">${parts.join('')}</div></section>`;
}

function columnChart(c: ColumnSummary): string {
  if (c.histogram) {
    const h = c.histogram;
    const format =
      h.basis === 'temporal' ? dateEdge(h) : (edge: number) => formatNumber(Math.round(edge * 1e4) / 1e4);
    const what = h.basis === 'length' ? 'Length in characters' : 'Distribution';
    return `<div><h3 class="muted">${what}</h3>${histogramChart(h, { label: `${what} of ${c.name}`, format })}</div>`;
  }
  if (c.values?.length) {
    const shown = c.values.slice(0, 12);
    const rest = c.values.length - shown.length;
    const chart = barChart(
      shown.map((v) => ({ label: v.value, value: v.count, text: formatCount(v.count) })),
      { label: `Commonest values of ${c.name}` },
    );
    return `<div><h3 class="muted">Values</h3>${chart}${rest > 0 ? `<p class="muted">… and ${formatCount(rest)} more</p>` : ''}</div>`;
  }
  const why =
    c.nonNull === 0
      ? 'the column is empty'
      : c.distinct === 1
        ? 'a single value'
        : c.kind === 'text'
          ? 'every value has the same length'
          : `nothing to chart for ${c.kind} values`;
  return `<p class="muted">No chart: ${esc(why)}.</p>`;
}

function columnSection(c: ColumnSummary, k: number, a: Analysis): string {
  const rows: Array<[string, string]> = [
    ['type', esc(c.type)],
    ['missing', `${formatCount(c.nulls)} (${a.rows ? ((100 * c.nulls) / a.rows).toFixed(1) : 0}%)`],
    ['distinct', `${c.distinctExact ? '' : '≈ '}${formatCount(c.distinct)}`],
  ];
  if (c.min !== undefined) rows.push(['min', fmt(c.min)], ['max', fmt(c.max)]);
  if (c.mean !== undefined) rows.push(['mean', fmt(c.mean)], ['std', fmt(c.std)]);
  if (c.quantiles)
    rows.push(['p25 / p50 / p75', [c.quantiles.p25, c.quantiles.p50, c.quantiles.p75].map(fmt).join(' / ')]);
  if (c.skew !== undefined) rows.push(['skewness', c.skew.toFixed(2)]);
  if (c.outliers !== undefined) rows.push(['IQR outliers', formatCount(c.outliers)]);
  if (c.avgLength !== undefined) rows.push(['mean length', fmt(Math.round(c.avgLength * 10) / 10)]);
  return `<article class="col" id="col-${k}"><div><h3>${esc(c.name)}</h3>${table(rows)}</div>${columnChart(c)}</article>`;
}

export function reportHtml(parts: ReportParts): string {
  const a = parts.analysis;
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>EDA: ${esc(a.dataset)}</title><style>${CSS}</style></head><body>`,
    `<h1>Exploratory analysis of ${esc(a.dataset)}</h1>`,
    overview(a, parts),
    findingsSection(parts.findings),
    adviceSection(parts.suggestions, parts.models),
    missingSection(a),
    correlationSection(a),
    targetSection(a),
    `<section id="columns"><h2>Columns</h2>${a.columns.map((c, k) => columnSection(c, k, a)).join('')}</section>`,
    '</body></html>\n',
  ].join('\n');
}
