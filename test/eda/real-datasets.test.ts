/** eda_generate_report on real public datasets (vega-datasets): the report, its charts, its findings. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import type { ProgressUpdate, ToolContext } from '../../tools/core/types.js';
import { edaGenerateReport } from '../../tools/eda/generate-report.js';
import { contextFor } from '../helpers/workspace.js';
import { call, count, makeEdaWorkspace, section, type EdaWorkspace, type ReportOutput } from './fixtures.js';

let ws: EdaWorkspace;
let ctx: ToolContext;
const progress: ProgressUpdate[] = [];

beforeAll(async () => {
  ws = await makeEdaWorkspace({ flights: true });
  ctx = await contextFor(ws.root, { progress: (update) => progress.push(update) });
});
afterAll(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
});

describe('seattle-weather.csv with the weather as target', () => {
  let out: ReportOutput;
  let html: string;
  beforeAll(async () => {
    progress.length = 0;
    out = await call<ReportOutput>(
      edaGenerateReport,
      { dataset: 'data/seattle-weather.csv', target: 'weather' },
      ctx,
    );
    html = ws.read(out.report);
  });

  it('writes the report to reports/eda-<name>.html and reports progress', () => {
    expect(out.report).toBe('reports/eda-seattle-weather.html');
    expect(existsSync(join(ws.root, out.report))).toBe(true);
    expect(out).toMatchObject({ rows: 1461, columns: 6, task: 'classification', target: 'weather' });
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3 });
  });

  it('is one self-contained page: inline CSS and SVG, nothing fetched', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|\b(src|href)\s*=\s*["']?https?:/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(statSync(join(ws.root, out.report)).size).toBeLessThan(100_000);
  });

  it('has its charts: missingness, heatmap, target, and one per column', () => {
    expect(count(section(html, 'missing'), '<svg')).toBe(1);
    expect(count(section(html, 'correlations'), '<svg')).toBe(1);
    expect(count(section(html, 'target'), '<svg')).toBe(2);
    const columns = section(html, 'columns');
    expect(count(columns, '<article')).toBe(6);
    expect(count(columns, '<svg')).toBe(6);
    // Histograms for numbers and dates, a bar chart of values for the text column.
    expect(count(columns, 'aria-label="Distribution of')).toBe(5);
    expect(columns).toContain('aria-label="Commonest values of weather"');
    // The heatmap has one cell per pair of the four numeric columns.
    expect(count(section(html, 'correlations'), '<rect')).toBe(16);
  });

  it('finds the rare classes and the skewed precipitation', () => {
    expect(out.findings.find((f) => f.kind === 'class_imbalance')?.message).toMatch(/rain 44% vs snow 1\.8%/);
    expect(out.findings.some((f) => f.kind === 'skew' && f.columns[0] === 'precipitation')).toBe(true);
    expect(out.findings.some((f) => f.kind === 'leakage')).toBe(false);
    // One row per day: validation must follow time.
    expect(out.models.validation).toMatch(/Time-ordered split on date/);
  });

  it('gives the terminal a short, fenced summary', () => {
    const text = outputText(edaGenerateReport, out as unknown as Record<string, unknown>);
    expect(text.split('\n')[0]).toMatch(
      /^Wrote reports\/eda-seattle-weather\.html: 1,461 rows, 6 columns; classification of weather/,
    );
    expect(text).toMatch(/<untrusted-data-[0-9a-f]+>/);
    expect(text).toContain('[warning] class_imbalance');
    expect(text.length).toBeLessThan(2500);
  });

  it('never overwrites a report without force', async () => {
    const outcome = await import('../../tools/core/invoke.js').then((m) =>
      m.invokeTool(edaGenerateReport, { dataset: 'data/seattle-weather.csv' }, ctx),
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('conflict');
      expect(outcome.error.hint).toMatch(/--force/);
    }
    const again = await call<ReportOutput>(
      edaGenerateReport,
      { dataset: 'data/seattle-weather.csv', force: true },
      ctx,
    );
    expect(again.task).toBe('exploration');
  });
});

describe('other real datasets', () => {
  it('seattle-weather with a temperature target is a time series', async () => {
    const out = await call<ReportOutput>(
      edaGenerateReport,
      { dataset: 'data/seattle-weather.csv', target: 'temp_max', out: 'r/temp.html' },
      ctx,
    );
    expect(out.task).toBe('time_series');
    expect(out.suggestions.find((s) => s.kind === 'lag_features')?.columns).toEqual(['temp_max']);
    expect(out.models.metrics).toContain('MASE');
  });

  it('cars.json: regression with missing targets and collinear engine sizes, no leak', async () => {
    const out = await call<ReportOutput>(
      edaGenerateReport,
      { dataset: 'data/cars.json', target: 'Miles_per_Gallon' },
      ctx,
    );
    expect(out).toMatchObject({ rows: 406, task: 'regression' });
    expect(out.findings.find((f) => f.kind === 'target_missing')?.message).toMatch(/^8 rows/);
    expect(out.findings.find((f) => f.kind === 'high_correlation')?.columns).toEqual([
      'Cylinders',
      'Displacement',
    ]);
    expect(out.findings.some((f) => f.severity === 'critical')).toBe(false);
    const html = ws.read(out.report);
    expect(count(section(html, 'target'), '<svg')).toBe(1);
    expect(count(section(html, 'columns'), '<svg')).toBe(9);
  });

  it('penguins.json: three balanced species, nothing alarming', async () => {
    const out = await call<ReportOutput>(
      edaGenerateReport,
      { dataset: 'data/penguins.json', target: 'Species' },
      ctx,
    );
    expect(out.task).toBe('classification');
    expect(out.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(out.suggestions.find((s) => s.kind === 'one_hot')?.columns).toEqual(['Island', 'Sex']);
    const target = section(ws.read(out.report), 'target');
    expect(target).toMatch(/Adelie<\/text>/);
    expect(target).toContain('Mean per class');
  });

  it('flights-3m.parquet: three million rows in two scans', async () => {
    const started = performance.now();
    const out = await call<ReportOutput>(
      edaGenerateReport,
      { dataset: 'data/flights-3m.parquet', target: 'delay' },
      ctx,
    );
    const elapsed = performance.now() - started;
    expect(out).toMatchObject({ rows: 3_000_000, columns: 5, task: 'regression' });
    expect(out.findings.some((f) => f.kind === 'high_cardinality' && f.columns[0] === 'origin')).toBe(true);
    // About a second on two cores; generous for a busy CI machine.
    expect(elapsed).toBeLessThan(30_000);
    const html = ws.read(out.report);
    expect(count(section(html, 'columns'), '<svg')).toBe(5);
    expect(html.length).toBeLessThan(60_000);
  });
});
