import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { formatCount } from '../query/format.js';
import { modelAdvice, suggestionsOf } from './advice.js';
import { analyzeDataset } from './analyze.js';
import { findingsOf } from './findings.js';
import { reportHtml } from './report-html.js';
import { DatasetField, Finding, ModelAdvice, Suggestion, TargetField, TaskField } from './schemas.js';

/** Findings returned to the terminal and the model; the report lists them all. */
export const MAX_FINDINGS = 15;

const Input = z.object({
  dataset: DatasetField,
  target: TargetField,
  out: z
    .string()
    .min(1)
    .optional()
    .describe('Report path in the workspace (default reports/eda-<dataset name>.html)'),
  force: z.boolean().default(false).describe('Overwrite the report if it exists'),
  bins: z.number().int().min(5).max(100).default(20).describe('Bars per histogram'),
});

const Output = z.object({
  report: z.string().describe('Path of the HTML report, relative to the workspace'),
  dataset: z.string().describe('Dataset path, relative to the workspace'),
  rows: z.number().describe('Rows in the dataset'),
  columns: z.number().describe('Columns in the dataset'),
  task: TaskField,
  target: z.string().optional().describe('Target column, when given'),
  findings: z
    .array(Finding)
    .describe(`Data-quality findings, most severe first (at most ${MAX_FINDINGS}; the report has all)`),
  more_findings: z.number().optional().describe('Findings left out here and listed in the report'),
  suggestions: z.array(Suggestion).describe('Feature-engineering suggestions'),
  models: ModelAdvice.describe('Algorithms, metrics and validation that fit the task'),
  timings: z
    .object({
      schema_ms: z.number().describe('Reading the schema'),
      overview_ms: z.number().describe('First scan: counts, distincts, ranges, means, quantiles'),
      distributions_ms: z
        .number()
        .describe(
          'Second scan: histograms, value counts, outliers, std, skew, correlations, per-class stats',
        ),
      render_ms: z.number().describe('Writing the HTML'),
      total_ms: z.number().describe('All of it'),
    })
    .describe('Where the time went, in milliseconds'),
});

type ReportInput = z.infer<typeof Input>;
type ReportOutput = z.infer<typeof Output>;

export const edaGenerateReport = defineTool({
  name: 'eda_generate_report',
  title: 'Generate EDA report',
  description:
    'Exploratory analysis of a CSV, Parquet or JSON file with DuckDB: writes one self-contained HTML report (histograms, values, missingness, correlations, target vs features) and returns rule-based findings (leakage, imbalance, constant/duplicate columns, skew, outliers) and modelling advice.',
  toolset: 'eda',
  aliases: ['report'],
  positional: ['dataset'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  run: generateReport,
  toText: reportText,
});

async function generateReport(input: ReportInput, ctx: ToolContext): Promise<ReportOutput> {
  const started = performance.now();
  const out = reportPath(ctx, input.dataset, input.out);
  const display = ctx.workspace.display(out);
  if (existsSync(out) && !input.force) {
    throw new ToolError('conflict', `The report ${display} already exists`, {
      hint: 'Pass --force (force: true) to overwrite it, or --out another path',
    });
  }
  const analysis = await analyzeDataset(
    { dataset: input.dataset, target: input.target, bins: input.bins },
    ctx,
  );
  const rendering = performance.now();
  const findings = findingsOf(analysis);
  const suggestions = suggestionsOf(analysis);
  const models = modelAdvice(analysis);
  const html = reportHtml({ analysis, findings, suggestions, models, generatedAt: new Date() });
  mkdirSync(dirname(out), { recursive: true });
  // Written whole then renamed: a reader never sees half a report.
  const partial = `${out}.${process.pid}.partial`;
  writeFileSync(partial, html);
  renameSync(partial, out);
  const done = performance.now();
  return {
    report: display,
    dataset: analysis.dataset,
    rows: analysis.rows,
    columns: analysis.columns.length,
    task: analysis.target?.task ?? 'exploration',
    ...(analysis.target ? { target: analysis.target.name } : {}),
    findings: findings.slice(0, MAX_FINDINGS),
    ...(findings.length > MAX_FINDINGS ? { more_findings: findings.length - MAX_FINDINGS } : {}),
    suggestions,
    models,
    timings: {
      ...analysis.timings,
      render_ms: Math.round(done - rendering),
      total_ms: Math.round(done - started),
    },
  };
}

function reportPath(ctx: ToolContext, dataset: string, out: string | undefined): string {
  if (out !== undefined) {
    if (!/\.html?$/i.test(out)) {
      throw new ToolError('invalid_input', `The report must be an .html file, not "${out}"`, {
        hint: 'Give --out a path ending in .html',
      });
    }
    return ctx.workspace.resolve(out);
  }
  let stem = basename(dataset).replace(/\.(gz|zst)$/i, '');
  stem = stem.slice(0, stem.length - extname(stem).length);
  return ctx.workspace.resolve(`reports/eda-${stem.replace(/[^\w.-]+/g, '-') || 'dataset'}.html`);
}

export function findingLines(findings: readonly Finding[]): string[] {
  return findings.map((f) => `- [${f.severity}] ${f.kind}: ${f.message}`);
}

function reportText(output: ReportOutput): string {
  const task = output.target ? `${output.task.replace('_', ' ')} of ${output.target}` : 'no target';
  const head = `Wrote ${output.report}: ${formatCount(output.rows)} rows, ${output.columns} columns; ${task} (${output.timings.total_ms} ms).`;
  const more = output.more_findings ? [`… ${output.more_findings} more in the report`] : [];
  const body = [
    `Findings (${output.findings.length + (output.more_findings ?? 0)}):`,
    ...findingLines(output.findings.slice(0, 8)),
    ...(output.findings.length > 8 ? [`… ${output.findings.length - 8} more`] : more),
    `Suggestions: ${output.suggestions.map((s) => `${s.kind} (${s.columns.join(', ')})`).join('; ') || 'none'}`,
    `Algorithms: ${output.models.algorithms.join('; ')}. Metrics: ${output.models.metrics.join(', ')}. Validation: ${output.models.validation}.`,
  ].join('\n');
  return `${head}\n${fenceUntrusted('EDA findings (column names and values come from the dataset)', body)}`;
}
