/**
 * Every analysis executed with real Jupyter on a time-indexed dataset (Seattle weather: a date
 * column, an imbalanced five-class target) and a text dataset (the descriptions of the npm
 * packages installed here: real prose, handled with lengths, tokens and TF-IDF, never one-hot).
 */
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
const ANALYSES = ['eda', 'feature-engineering', 'modeling', 'evaluation', 'debug'];
let ws: TempWorkspace;
let ctx: ToolContext;
const started = performance.now();

beforeAll(async () => {
  ws = await makeNotebookWorkspace(['seattle-weather.csv', 'packages.csv']);
  ctx = await contextFor(ws.root);
});
afterAll(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
  console.log(`execute-time-text: ${Math.round((performance.now() - started) / 1000)} s`);
});

const outputs = (path: string) =>
  readNotebook(ws, path)
    .cells.flatMap((cell) => cell.outputs ?? [])
    .map((o) =>
      JSON.stringify(o.text ?? (o.data as Record<string, unknown> | undefined)?.['text/plain'] ?? ''),
    )
    .join('\n');

describe('seattle-weather.csv, target weather, indexed by date', () => {
  const base = { dataset: 'data/seattle-weather.csv', target: 'weather', execute: true };

  it.each(ANALYSES)(
    '%s executes without error',
    async (analysis) => {
      const out = await generate(ctx, { ...base, analysis });
      const notebook = readNotebook(ws, out.path);
      expectExecuted(out, notebook);
      expect(out.time_column).toBe('date');
      expect(textOf(notebook, 'code')).toContain('TIME = "date"');
      if (analysis === 'eda') {
        expect(headings(notebook)).toContain('Over time: `date`');
        expect(outputs(out.path)).toContain("resampled by 'MS'");
      }
      if (analysis === 'feature-engineering') expect(outputs(out.path)).toContain('date_dayofyear');
      if (analysis === 'debug') expect(outputs(out.path)).toContain('error rate');
    },
    RUN,
  );

  it(
    'debug refits a described run (gradient boosting, max_depth=3) and checks it',
    async () => {
      const out = await generate(ctx, {
        ...base,
        analysis: 'debug',
        model: 'gradient boosting, max_depth=3',
        out: 'notebooks/debug-described.ipynb',
      });
      expectExecuted(out, readNotebook(ws, out.path));
      expect(outputs(out.path)).toContain('HistGradientBoostingClassifier(max_depth=3) fitted on');
    },
    RUN,
  );
});

describe('packages.csv (npm package descriptions), target has_types', () => {
  const base = { dataset: 'data/packages.csv', target: 'has_types', execute: true };

  it.each(ANALYSES)(
    '%s executes without error',
    async (analysis) => {
      const out = await generate(ctx, { ...base, analysis });
      const notebook = readNotebook(ws, out.path);
      expectExecuted(out, notebook);
      expect(out.columns.find((c) => c.name === 'description')?.role).toBe('text');
      const code = textOf(notebook, 'code');
      expect(code).toContain('TEXT = ["description"]');
      if (analysis === 'eda') {
        expect(headings(notebook)).toContain('Free-text columns');
        expect(outputs(out.path)).toMatch(/characters\s+\d+/);
      }
      if (analysis === 'feature-engineering') {
        // TF-IDF terms of the descriptions, and no one-hot column per description.
        expect(outputs(out.path)).toMatch(/description: \d+ terms kept/);
        expect(outputs(out.path)).not.toMatch(/categorical__description_/);
      }
    },
    RUN,
  );
});
