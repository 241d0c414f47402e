/**
 * What both compare tools (`mlflow_compare_runs`, `experiment_compare`) return and how it reads:
 * the output schema, the build from API runs (rows capped, the full table to a CSV when longer),
 * the text for the model (fenced: run names and params come from whoever logged them), and the
 * optional self-contained HTML chart.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import type { ToolContext } from '../core/types.js';
import { chartBars, CompareError, compareRuns, formatMetric, textBarChart } from './compare.js';
import { latestMetrics, toRecord, type ApiRun } from './model.js';
import { Direction as DirectionSchema } from './schemas.js';

/** Bars in the terminal chart: past this it stops being readable. */
const CHART_BARS = 25;

export const CompareOptions = {
  metric: z
    .string()
    .min(1)
    .optional()
    .describe('Metric that ranks the runs (default: the first one every run has)'),
  direction: DirectionSchema.optional().describe(
    'max: higher is better; min: lower is better (default: min for loss/error/rmse/mae/… names, else max)',
  ),
  max_rows: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(50)
    .describe('Runs returned in rows, best first; the full table goes to a CSV file beyond this'),
  out: z
    .string()
    .optional()
    .describe('Also write a self-contained HTML bar chart to this workspace path (.html)'),
  force: z.boolean().default(false).describe('Overwrite the --out file if it exists'),
};
export type CompareInput = z.infer<z.ZodObject<typeof CompareOptions>>;

export const CompareOutput = z.object({
  runs: z.number().describe('Runs compared'),
  metric: z.string().describe('Metric that ranks the runs'),
  direction: DirectionSchema.describe('max: higher is better; min: lower is better'),
  direction_reason: z.string().describe('Why this direction'),
  best: z
    .object({
      run_id: z.string().describe('Best run'),
      run_name: z.string().optional().describe('Its name'),
      value: z.number().describe('Its value of the metric'),
    })
    .optional()
    .describe('The best run for the metric'),
  differing_params: z.array(z.string()).describe('Params whose value differs between runs (shown in rows)'),
  same_params: z.record(z.string(), z.string()).describe('Params equal in every run'),
  metric_names: z.array(z.string()).describe('Every metric the runs logged (shown in rows)'),
  rows: z
    .array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])))
    .describe(
      'One row per run, best first: run_id, run_name, best, metrics.<name>…, params.<name>… (differing only)',
    ),
  missing_metric: z.number().describe('Runs without a value of the metric (ranked last)'),
  truncated: z.boolean().describe('True when rows holds fewer runs than were compared'),
  table_file: z.string().optional().describe('Workspace path of the full table (CSV) when rows were capped'),
  chart: z.string().optional().describe('Text bar chart of the metric per run, best marked *'),
  chart_file: z.string().optional().describe('Workspace path of the HTML chart (with out)'),
});
export type CompareOutput = z.infer<typeof CompareOutput>;

export function buildComparison(
  runs: readonly ApiRun[],
  input: CompareInput,
  ctx: ToolContext,
): CompareOutput {
  if (runs.length === 0) {
    throw new ToolError('not_found', 'There are no runs to compare', {
      hint: 'Check the run ids or the experiment with `datastack mlflow search-runs`',
    });
  }
  let comparison;
  try {
    comparison = compareRuns(
      runs.map((run) => ({
        run_id: run.info.run_id,
        run_name: run.info.run_name,
        start_time: run.info.start_time,
        params: toRecord(run.data.params),
        metrics: latestMetrics(run),
      })),
      { metric: input.metric, direction: input.direction },
    );
  } catch (error) {
    if (!(error instanceof CompareError)) throw error;
    const some = error.available.slice(0, 30).join(', ');
    throw new ToolError('invalid_input', `${error.message} among the ${runs.length} run(s)`, {
      hint: error.available.length ? `Metrics these runs have: ${some}` : 'Log metrics in the runs first',
    });
  }
  const truncated = comparison.rows.length > input.max_rows;
  const output: CompareOutput = {
    runs: runs.length,
    ...comparison,
    rows: comparison.rows.slice(0, input.max_rows),
    truncated,
    chart: textBarChart(chartBars(comparison, CHART_BARS)),
  };
  if (truncated) output.table_file = writeTable(comparison.rows, ctx);
  if (input.out) output.chart_file = writeHtmlChart(output, input.out, input.force, ctx);
  return output;
}

function writeTable(rows: CompareOutput['rows'], ctx: ToolContext): string {
  const columns = Object.keys(rows[0] ?? {});
  const cell = (value: string | number | boolean | null | undefined) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(','));
  const path = ctx.sink.allocate('compare', 'csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return ctx.workspace.display(path);
}

function writeHtmlChart(output: CompareOutput, out: string, force: boolean, ctx: ToolContext): string {
  if (!/\.html?$/i.test(out)) {
    throw new ToolError('invalid_input', `The chart must be an .html file, not "${out}"`, {
      hint: 'Give --out a path ending in .html',
    });
  }
  const path = ctx.workspace.resolve(out);
  if (existsSync(path) && !force) {
    throw new ToolError('conflict', `${ctx.workspace.display(path)} already exists`, {
      hint: 'Pass --force to overwrite it, or --out another path',
    });
  }
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, compareHtml(output));
  renameSync(partial, path);
  return ctx.workspace.display(path);
}

export function compareHtml(output: CompareOutput): string {
  const key = `metrics.${output.metric}`;
  const rows = output.rows.filter((row) => typeof row[key] === 'number');
  const values = rows.map((row) => row[key] as number);
  const max = Math.max(0, ...values);
  const items = rows.map((row) => ({
    label: `${row.best ? '★ ' : ''}${String(row.run_name ?? row.run_id)}`,
    value: (row[key] as number) - Math.min(0, ...values),
    text: formatMetric(row[key] as number),
  }));
  const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const header = Object.keys(output.rows[0] ?? {});
  const table = [
    `<tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`,
    ...output.rows.map(
      (row) =>
        `<tr${row.best ? ' class="best"' : ''}>${header.map((h) => `<td>${esc(formatCell(row[h]))}</td>`).join('')}</tr>`,
    ),
  ].join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Run comparison: ${esc(output.metric)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}svg text{font-size:12px}.bar{fill:#4c78a8}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}.best{background:#fff5cc}</style></head>
<body><h1>${esc(output.metric)} per run (${output.direction === 'max' ? 'higher' : 'lower'} is better)</h1>
${barSvg(items, max, esc)}
<h2>Runs (${output.rows.length}${output.truncated ? ` of ${output.runs}` : ''})</h2><table>${table}</table></body></html>
`;
}

function barSvg(
  items: Array<{ label: string; value: number; text: string }>,
  max: number,
  esc: (text: string) => string,
): string {
  const row = 16;
  const labelWidth = 180;
  const room = 360;
  const top = Math.max(max, ...items.map((i) => i.value));
  const bars = items
    .map((item, k) => {
      const y = k * row + 2;
      const w = top > 0 ? Math.round((item.value / top) * room * 10) / 10 : 0;
      const label = item.label.length > 26 ? `${item.label.slice(0, 25)}…` : item.label;
      return (
        `<text x="${labelWidth - 4}" y="${y + 11}" text-anchor="end">${esc(label)}</text>` +
        `<rect x="${labelWidth}" y="${y}" width="${w}" height="${row - 4}" class="bar"><title>${esc(`${item.label}: ${item.text}`)}</title></rect>` +
        `<text x="${labelWidth + w + 4}" y="${y + 11}">${esc(item.text)}</text>`
      );
    })
    .join('');
  const width = labelWidth + room + 100;
  const height = items.length * row + 4;
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${bars}</svg>`;
}

function formatCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatMetric(value);
  if (value === true) return '★';
  if (value === false) return '';
  return String(value);
}

/** For the model: the verdict in plain words, then the table as CSV inside a fence. */
export function compareText(output: CompareOutput): string {
  const lines = [
    `${output.runs} run(s) compared on ${output.metric} (${output.direction === 'max' ? 'higher' : 'lower'} is better: ${output.direction_reason}).`,
  ];
  if (output.best)
    lines.push(`Best: run ${output.best.run_id} with ${output.metric} = ${formatMetric(output.best.value)}.`);
  if (output.missing_metric) lines.push(`${output.missing_metric} run(s) have no ${output.metric}.`);
  if (output.truncated)
    lines.push(`Showing the best ${output.rows.length}; full table: ${output.table_file ?? '?'}`);
  if (output.chart_file) lines.push(`HTML chart: ${output.chart_file}`);
  const header = Object.keys(output.rows[0] ?? {});
  const csv = [
    header.join(','),
    ...output.rows.map((row) => header.map((h) => formatCell(row[h])).join(',')),
  ];
  const same = Object.entries(output.same_params).map(([k, v]) => `${k}=${v}`);
  const body = [
    `differing params: ${output.differing_params.join(', ') || '(none)'}`,
    `same params: ${same.join(', ') || '(none)'}`,
    csv.join('\n'),
    output.chart ?? '',
  ].join('\n');
  lines.push(fenceUntrusted('run data (names, params)', body));
  return lines.join('\n');
}
