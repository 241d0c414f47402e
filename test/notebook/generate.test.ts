/**
 * notebook_generate without running Python: what DataStack learns from real datasets (roles, task
 * type, time index, text dates), and what the notebooks say about them. Bad input is in bad-input.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../tools/core/types.js';
import { outputText } from '../../tools/core/invoke.js';
import { notebookGenerate } from '../../tools/notebook/generate-notebook.js';
import { runCli } from '../helpers/run-cli.js';
import { contextFor, type TempWorkspace } from '../helpers/workspace.js';
import {
  generate,
  headings,
  makeNotebookWorkspace,
  readNotebook,
  textOf,
  type GenerateOutput,
} from './fixtures.js';

let ws: TempWorkspace;
let ctx: ToolContext;

beforeAll(async () => {
  ws = await makeNotebookWorkspace([
    'penguins.json',
    'cars.parquet',
    'seattle-weather.csv',
    'movies.json',
    'packages.csv',
    'unemployment.tsv',
  ]);
  ctx = await contextFor(ws.root);
});
afterAll(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
});

const roles = (out: GenerateOutput) => Object.fromEntries(out.columns.map((c) => [c.name, c.role]));

describe('what the notebook learns from the data', () => {
  it('penguins: numeric measurements, categorical species, a classification target', async () => {
    const out = await generate(ctx, { analysis: 'eda', dataset: 'data/penguins.json', target: 'Species' });
    expect(roles(out)).toEqual({
      Species: 'categorical',
      Island: 'categorical',
      'Beak Length (mm)': 'numeric',
      'Beak Depth (mm)': 'numeric',
      'Flipper Length (mm)': 'numeric',
      'Body Mass (g)': 'numeric',
      Sex: 'categorical',
    });
    expect(out).toMatchObject({
      task: 'classification',
      rows: 344,
      executed: false,
      path: 'notebooks/eda-penguins.ipynb',
    });
    expect(out.time_column).toBeUndefined();
  });

  it('cars (Parquet): a numeric target is a regression, Year is the time index, Name an identifier', async () => {
    const out = await generate(ctx, {
      analysis: 'modeling',
      dataset: 'data/cars.parquet',
      target: 'Miles_per_Gallon',
    });
    expect(out).toMatchObject({
      task: 'regression',
      time_column: 'Year',
      model_file: 'models/cars-Miles_per_Gallon.joblib',
    });
    expect(roles(out)).toMatchObject({
      Cylinders: 'numeric',
      Origin: 'categorical',
      Year: 'date',
      Name: 'dropped',
    });
  });

  it('few integer values make classes; task overrides the guess when the data allows', async () => {
    const guessed = await generate(ctx, {
      analysis: 'modeling',
      dataset: 'data/cars.parquet',
      target: 'Cylinders',
      out: 'nb/cyl.ipynb',
    });
    expect(guessed.task).toBe('classification');
    const forced = await generate(ctx, {
      analysis: 'modeling',
      dataset: 'data/cars.parquet',
      target: 'Cylinders',
      task: 'regression',
      out: 'nb/cyl-reg.ipynb',
    });
    expect(forced.task).toBe('regression');
  });

  it('seattle weather (CSV): date is the time index, weather a five-class target', async () => {
    const out = await generate(ctx, {
      analysis: 'eda',
      dataset: 'data/seattle-weather.csv',
      target: 'weather',
    });
    expect(out).toMatchObject({ task: 'classification', time_column: 'date' });
    const notebook = readNotebook(ws, out.path);
    expect(headings(notebook)).toContain('Over time: `date`');
    expect(textOf(notebook, 'markdown')).toContain('`rain` 641 (43.9%), `sun` 640 (43.8%)');
    expect(textOf(notebook, 'markdown')).toContain('`snow` is under 10% of rows');
  });

  it('movies: "Jun 12 1998" text is a date, Title an identifier, gaps everywhere', async () => {
    const out = await generate(ctx, { analysis: 'eda', dataset: 'data/movies.json', target: 'IMDB Rating' });
    expect(out.time_column).toBe('Release Date');
    expect(out.columns.find((c) => c.name === 'Release Date')).toMatchObject({
      role: 'date',
      note: 'dates written as %b %d %Y',
    });
    expect(out.columns.find((c) => c.name === 'Title')?.role).toBe('dropped');
    const code = textOf(readNotebook(ws, out.path), 'code');
    expect(code).toContain('DATE_FORMATS = {"Release Date": "%b %d %Y"}');
  });

  it('npm package descriptions are free text: length counts and TF-IDF, never one-hot', async () => {
    const out = await generate(ctx, {
      analysis: 'feature-engineering',
      dataset: 'data/packages.csv',
      target: 'has_types',
    });
    expect(roles(out)).toMatchObject({
      description: 'text',
      license: 'categorical',
      name: 'dropped',
      has_types: 'categorical',
    });
    const notebook = readNotebook(ws, out.path);
    expect(textOf(notebook, 'code')).toContain('TEXT = ["description"]');
    expect(headings(notebook)).toContain('Text features from `description`');
    expect(textOf(notebook, 'markdown')).toMatch(/`description` averages \d+\.\d words/);
  });

  it('reads a TSV with the delimiter DuckDB found', async () => {
    const out = await generate(ctx, { analysis: 'eda', dataset: 'data/unemployment.tsv' });
    expect(textOf(readNotebook(ws, out.path), 'code')).toContain('READ_OPTIONS = {"sep": "\\t"}');
  });
});

describe('the notebook file', () => {
  it('is nbformat 4.5 with ids, a parameters cell, and reads the data relative to itself', async () => {
    const out = await generate(ctx, {
      analysis: 'evaluation',
      dataset: 'data/penguins.json',
      target: 'Species',
    });
    const raw = JSON.parse(readFileSync(join(ws.root, out.path), 'utf8')) as {
      nbformat: number;
      nbformat_minor: number;
      metadata: { kernelspec: { name: string }; datastack: Record<string, string> };
      cells: Array<{ id: string; cell_type: string; metadata: { tags?: string[] }; source: string[] }>;
    };
    expect([raw.nbformat, raw.nbformat_minor]).toEqual([4, 5]);
    expect(raw.metadata.kernelspec.name).toBe('python3');
    expect(raw.metadata.datastack).toMatchObject({
      analysis: 'evaluation',
      dataset: 'data/penguins.json',
      target: 'Species',
    });
    expect(new Set(raw.cells.map((c) => c.id)).size).toBe(raw.cells.length);
    const settings = raw.cells.find((c) => c.metadata.tags?.includes('parameters'));
    expect(settings?.source.join('')).toContain('DATA_PATH = "../data/penguins.json"');
    expect(out.cells).toBe(raw.cells.length);
  });

  it('has the sections of each analysis, naming real columns', async () => {
    const expected: Record<string, string[]> = {
      eda: [
        'Missing values',
        'Distributions of the numeric columns',
        'Counts of the categorical columns',
        'Correlations',
        'The target: `Species` against the features',
      ],
      'feature-engineering': [
        'Features',
        'Encoding the categorical columns',
        'Scaling the numeric columns',
        'The whole pipeline',
      ],
      modeling: ['Rows with a known `Species`', 'Baseline models', 'Cross-validation', 'Save the best model'],
      evaluation: ['Hold-out split', 'The model', 'Test-set metrics', 'Which columns matter'],
      debug: [
        'The model',
        'Does it predict at all?',
        'Checks of the predictions',
        'Where it errs: slices',
        'The worst rows',
      ],
    };
    for (const [analysis, sections] of Object.entries(expected)) {
      const out = await generate(ctx, {
        analysis,
        dataset: 'data/penguins.json',
        target: 'Species',
        out: `sections/${analysis}.ipynb`,
      });
      const notebook = readNotebook(ws, out.path);
      expect(headings(notebook), analysis).toEqual(
        expect.arrayContaining(['Settings', 'Load the data', ...sections]),
      );
      expect(textOf(notebook, 'markdown'), analysis).toContain('`Flipper Length (mm)`');
      expect(textOf(notebook, 'code'), analysis).toContain('"Flipper Length (mm)"');
    }
  });

  it('summarises for the model with column names fenced', async () => {
    const out = await generate(ctx, {
      analysis: 'eda',
      dataset: 'data/penguins.json',
      out: 'text/eda.ipynb',
    });
    const text = outputText(notebookGenerate, out as unknown as Record<string, unknown>);
    expect(text).toMatch(/^Wrote text\/eda\.ipynb: eda notebook/);
    expect(text).toMatch(/<untrusted-data-[0-9a-f]+>\n[^]*numeric: Beak Length \(mm\)/);
  });

  it('`generate debug-notebook` is the debug analysis, with --analysis fixed', async () => {
    const result = await runCli(
      [
        '--json',
        'generate',
        'debug-notebook',
        'data/penguins.json',
        '--target',
        'Species',
        '--out',
        'cli/debug.ipynb',
      ],
      { cwd: ws.root },
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ analysis: 'debug', path: 'cli/debug.ipynb' });
    expect(headings(readNotebook(ws, 'cli/debug.ipynb'))).toContain('The worst rows');
    const twice = await runCli(['generate', 'debug-notebook', 'data/penguins.json', '--analysis', 'eda'], {
      cwd: ws.root,
    });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/unknown option '--analysis'/);
  });
});
