/**
 * notebook_generate refusing bad input with errors a person or a model can act on: a missing or
 * unreadable dataset, an absent or unusable target, a wrong model, a path outside the workspace,
 * and an existing notebook (never overwritten without force). No Python runs here.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../tools/core/types.js';
import { contextFor, type TempWorkspace } from '../helpers/workspace.js';
import { generate, generateError, makeNotebookWorkspace, readNotebook, textOf } from './fixtures.js';

let ws: TempWorkspace;
let ctx: ToolContext;

beforeAll(async () => {
  ws = await makeNotebookWorkspace(['penguins.json', 'seattle-weather.csv', 'packages.csv']);
  ctx = await contextFor(ws.root);
});
afterAll(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
});

describe('bad input', () => {
  it('a missing dataset is not_found', async () => {
    const error = await generateError(ctx, { analysis: 'eda', dataset: 'data/nope.csv' });
    expect(error.code).toBe('not_found');
  });

  it('an unsupported format says which files are read', async () => {
    writeFileSync(join(ws.root, 'data', 'notes.txt'), 'hello\n');
    const error = await generateError(ctx, { analysis: 'eda', dataset: 'data/notes.txt' });
    expect(error.code).toBe('invalid_input');
    expect(error.toLine()).toMatch(/Unsupported dataset.*\.csv.*\.parquet.*\.json/);
  });

  it('an absent target lists the real columns', async () => {
    const error = await generateError(ctx, {
      analysis: 'modeling',
      dataset: 'data/penguins.json',
      target: 'species',
    });
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('No column "species" in data/penguins.json');
    expect(error.hint).toBe(
      'Columns: Species, Island, Beak Length (mm), Beak Depth (mm), Flipper Length (mm), Body Mass (g), Sex',
    );
  });

  it('modeling without a target, or with an unusable one, is refused with a reason', async () => {
    const none = await generateError(ctx, { analysis: 'modeling', dataset: 'data/penguins.json' });
    expect(none.message).toBe('The modeling notebook needs a target column');
    expect(none.hint).toContain('Species, Island');
    const date = await generateError(ctx, {
      analysis: 'modeling',
      dataset: 'data/seattle-weather.csv',
      target: 'date',
    });
    expect(date.message).toMatch(/is a DATE column/);
    const text = await generateError(ctx, {
      analysis: 'modeling',
      dataset: 'data/penguins.json',
      target: 'Island',
      task: 'regression',
    });
    expect(text.message).toMatch(/not numeric: it cannot be a regression target/);
    const ids = await generateError(ctx, {
      analysis: 'modeling',
      dataset: 'data/packages.csv',
      target: 'name',
    });
    expect(ids.message).toMatch(/distinct values: too many classes/);
  });

  it('a model is only for evaluation and debug, and must be a joblib/pickle file when it is a path', async () => {
    const eda = await generateError(ctx, {
      analysis: 'eda',
      dataset: 'data/penguins.json',
      model: 'm.joblib',
    });
    expect(eda.message).toMatch(/--model is for the evaluation and debug notebooks/);
    const missing = await generateError(ctx, {
      analysis: 'debug',
      dataset: 'data/penguins.json',
      target: 'Species',
      model: 'models/nope.joblib',
    });
    expect(missing.code).toBe('not_found');
    writeFileSync(join(ws.root, 'model.onnx'), 'x');
    const onnx = await generateError(ctx, {
      analysis: 'debug',
      dataset: 'data/penguins.json',
      target: 'Species',
      model: 'model.onnx',
    });
    expect(onnx.message).toMatch(/Unsupported model file model\.onnx/);
    const outside = await generateError(ctx, {
      analysis: 'debug',
      dataset: 'data/penguins.json',
      target: 'Species',
      model: '/etc/m.pkl',
    });
    expect(outside.code).toBe('outside_workspace');
  });

  it('a run description picks the estimator and its parameters', async () => {
    const out = await generate(ctx, {
      analysis: 'debug',
      dataset: 'data/penguins.json',
      target: 'Species',
      model: 'gradient boosting, max_depth=3 learning_rate=0.1',
      out: 'described/debug.ipynb',
    });
    const code = textOf(readNotebook(ws, out.path), 'code');
    expect(code).toContain('ESTIMATOR = "HistGradientBoostingClassifier"');
    expect(code).toContain('PARAMS = {"max_depth": 3, "learning_rate": 0.1}');
  });

  it('the notebook path must be .ipynb inside the workspace', async () => {
    const ext = await generateError(ctx, { analysis: 'eda', dataset: 'data/penguins.json', out: 'eda.txt' });
    expect(ext.message).toMatch(/must end in \.ipynb/);
    const outside = await generateError(ctx, {
      analysis: 'eda',
      dataset: 'data/penguins.json',
      out: '../eda.ipynb',
    });
    expect(outside.code).toBe('outside_workspace');
  });

  it('never overwrites without force', async () => {
    const path = join(ws.root, 'keep/eda.ipynb');
    await generate(ctx, { analysis: 'eda', dataset: 'data/penguins.json', out: 'keep/eda.ipynb' });
    writeFileSync(path, '{"mine": true}');
    const error = await generateError(ctx, {
      analysis: 'eda',
      dataset: 'data/penguins.json',
      out: 'keep/eda.ipynb',
    });
    expect(error.message).toBe('keep/eda.ipynb already exists');
    expect(error.hint).toMatch(/force/);
    expect(readFileSync(path, 'utf8')).toBe('{"mine": true}');
    await generate(ctx, {
      analysis: 'eda',
      dataset: 'data/penguins.json',
      out: 'keep/eda.ipynb',
      force: true,
    });
    expect(readFileSync(path, 'utf8')).toContain('"nbformat": 4');
    expect(existsSync(join(ws.root, 'keep'))).toBe(true);
  });
});
