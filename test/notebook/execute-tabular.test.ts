/**
 * Every analysis on two real tabular datasets, executed with real Jupyter (nbclient + ipykernel in
 * the shared venv, installed by the product's own code on first use): penguins (categorical
 * target) and cars converted to Parquet (numeric target, a Year date). The saved modeling
 * pipeline is then loaded by the evaluation and debug notebooks, as a user would chain them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../tools/core/types.js';
import { contextFor, type TempWorkspace } from '../helpers/workspace.js';
import {
  expectExecuted,
  generate,
  headings,
  makeNotebookWorkspace,
  readNotebook,
  textOf,
} from './fixtures.js';

const RUN = 300_000;
let ws: TempWorkspace;
let ctx: ToolContext;
const started = performance.now();

beforeAll(async () => {
  ws = await makeNotebookWorkspace(['penguins.json', 'cars.parquet']);
  ctx = await contextFor(ws.root);
});
afterAll(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
  console.log(`execute-tabular: ${Math.round((performance.now() - started) / 1000)} s`);
});

/** Outputs of the executed code cells, as text. */
const outputText = (path: string) =>
  readNotebook(ws, path)
    .cells.flatMap((cell) => cell.outputs ?? [])
    .map((o) =>
      JSON.stringify(o.text ?? (o.data as Record<string, unknown> | undefined)?.['text/plain'] ?? ''),
    )
    .join('\n');

describe('penguins.json, target Species (classification)', () => {
  const base = { dataset: 'data/penguins.json', target: 'Species', execute: true };

  it.each(['eda', 'feature-engineering'])(
    '%s executes without error',
    async (analysis) => {
      const out = await generate(ctx, { ...base, analysis });
      const notebook = readNotebook(ws, out.path);
      expectExecuted(out, notebook);
      expect(textOf(notebook, 'code')).toContain('CATEGORICAL = ["Species", "Island", "Sex"]');
    },
    RUN,
  );

  it(
    'modeling cross-validates baselines and saves the best pipeline',
    async () => {
      const out = await generate(ctx, { ...base, analysis: 'modeling' });
      expectExecuted(out, readNotebook(ws, out.path));
      expect(out.model_file).toBe('models/penguins-Species.joblib');
      expect(existsSync(join(ws.root, 'models/penguins-Species.joblib'))).toBe(true);
      const results = outputText(out.path);
      for (const model of ['majority class (dummy)', 'logistic regression', 'random forest', 'f1_macro']) {
        expect(results).toContain(model);
      }
    },
    RUN,
  );

  it(
    'evaluation and debug load the saved model file',
    async () => {
      for (const analysis of ['evaluation', 'debug']) {
        const out = await generate(ctx, { ...base, analysis, model: 'models/penguins-Species.joblib' });
        const notebook = readNotebook(ws, out.path);
        expectExecuted(out, notebook);
        expect(textOf(notebook, 'code')).toContain('MODEL_PATH = "../models/penguins-Species.joblib"');
        expect(outputText(out.path)).toContain('Pipeline loaded from ../models/penguins-Species.joblib');
      }
      const debug = outputText('notebooks/debug-penguins.ipynb');
      expect(debug).toContain('only known classes are predicted');
      expect(debug).not.toMatch(/False\s/);
    },
    RUN,
  );

  it(
    'evaluation without a model fits a forest and reports the confusion matrix',
    async () => {
      const out = await generate(ctx, {
        ...base,
        analysis: 'evaluation',
        out: 'notebooks/eval-baseline.ipynb',
      });
      expectExecuted(out, readNotebook(ws, out.path));
      expect(outputText(out.path)).toMatch(/balanced accuracy\s+0\.9/);
    },
    RUN,
  );
});

describe('cars.parquet, target Miles_per_Gallon (regression, Year as time index)', () => {
  const base = { dataset: 'data/cars.parquet', target: 'Miles_per_Gallon', execute: true };

  it.each(['eda', 'feature-engineering', 'modeling', 'evaluation', 'debug'])(
    '%s executes without error',
    async (analysis) => {
      const out = await generate(ctx, { ...base, analysis });
      const notebook = readNotebook(ws, out.path);
      expectExecuted(out, notebook);
      expect(out).toMatchObject({ task: 'regression', time_column: 'Year' });
      expect(textOf(notebook, 'markdown')).toContain('`Miles_per_Gallon`');
      if (analysis === 'eda') expect(headings(notebook)).toContain('Over time: `Year`');
      if (analysis === 'feature-engineering') expect(headings(notebook)).toContain('Date parts from `Year`');
      if (analysis === 'modeling') expect(textOf(notebook, 'markdown')).toContain('`TimeSeriesSplit`');
      if (analysis === 'evaluation') expect(outputText(out.path)).toMatch(/RMSE\s+\d/);
    },
    RUN,
  );
});
