import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import { compareRuns, metricDirection, textBarChart, chartBars } from '../../tools/mlflow/compare.js';
import type { CompareOutput } from '../../tools/mlflow/compare-report.js';
import { mlflowCompareRuns } from '../../tools/mlflow/compare-runs.js';
import { call, callError, makeRuns, mlflowWorld, THREE_RUNS, unique, type MlflowWorld } from './fixtures.js';

describe('compare logic', () => {
  it('reads losses and errors as lower-is-better, the rest as higher', () => {
    for (const name of ['loss', 'val_loss', 'rmse', 'test-mae', 'mape', 'logloss', 'error_rate', 'MSE'])
      expect(metricDirection(name), name).toBe('min');
    for (const name of ['accuracy', 'f1', 'roc_auc', 'r2', 'precision', 'recall'])
      expect(metricDirection(name), name).toBe('max');
  });

  it('keeps only differing params, treats a missing param as a difference, ranks runs without the metric last', () => {
    const out = compareRuns(
      [
        { run_id: 'a', params: { lr: '1', seed: '7' }, metrics: { acc: 0.5 } },
        { run_id: 'b', params: { lr: '2', seed: '7', extra: 'x' }, metrics: { acc: 0.9, loss: 1 } },
        { run_id: 'c', params: { lr: '2', seed: '7' }, metrics: { loss: 2 } },
      ],
      { metric: 'acc' },
    );
    expect(out.differing_params).toEqual(['extra', 'lr']);
    expect(out.same_params).toEqual({ seed: '7' });
    expect(out.rows.map((r) => r.run_id)).toEqual(['b', 'a', 'c']);
    expect(out.best).toEqual({ run_id: 'b', value: 0.9 });
    expect(out.missing_metric).toBe(1);
    expect(out.rows[2]).toMatchObject({ 'metrics.acc': null, 'metrics.loss': 2, 'params.extra': null });
  });

  it('draws one bar per run, the best marked', () => {
    const out = compareRuns(
      [
        { run_id: 'a', run_name: 'small', params: {}, metrics: { loss: 0.2 } },
        { run_id: 'b', run_name: 'big', params: {}, metrics: { loss: 0.4 } },
      ],
      {},
    );
    const chart = textBarChart(chartBars(out, 10), { width: 10 }).split('\n');
    expect(chart).toEqual(['* small █          0.2', '  big   ██████████ 0.4']);
  });
});

let world: MlflowWorld;
let runIds: string[];

beforeAll(async () => {
  world = await mlflowWorld();
  ({ runIds } = await makeRuns(world.client, unique('compare'), THREE_RUNS));
}, 300_000);
afterAll(() => world?.cleanup());

describe('mlflow_compare_runs', () => {
  it('shows exactly the differing params and marks the best run, higher is better for accuracy', async () => {
    const { ctx } = await world.context();
    const out = await call<CompareOutput>(mlflowCompareRuns, { run_ids: runIds, metric: 'accuracy' }, ctx);
    expect(out.differing_params).toEqual(['depth', 'lr']);
    expect(out.same_params).toEqual({ seed: '42' });
    expect(out.metric_names).toEqual(['accuracy', 'rmse']);
    expect(out.direction).toBe('max');
    expect(out.best).toEqual({ run_id: runIds[1], run_name: 'lr-mid', value: 0.88 });
    expect(out.rows.map((r) => r.run_name)).toEqual(['lr-mid', 'lr-low', 'lr-high']);
    expect(out.rows[0]).toEqual({
      run_id: runIds[1],
      run_name: 'lr-mid',
      best: true,
      'metrics.accuracy': 0.88,
      'metrics.rmse': 0.35,
      'params.depth': '6',
      'params.lr': '0.01',
    });
    expect(out.chart?.split('\n')[0]).toMatch(/^\* lr-mid/);
    const text = outputText(mlflowCompareRuns, out);
    expect(text).toContain(`Best: run ${runIds[1]} with accuracy = 0.88`);
    expect(text).toMatch(/<untrusted-data-[0-9a-f]+>/);
  });

  it('takes lower as better for rmse, and the direction can be overridden', async () => {
    const { ctx } = await world.context();
    const rmse = await call<CompareOutput>(mlflowCompareRuns, { run_ids: runIds, metric: 'rmse' }, ctx);
    expect(rmse.direction).toBe('min');
    expect(rmse.best?.run_id).toBe(runIds[2]);
    const flipped = await call<CompareOutput>(
      mlflowCompareRuns,
      { run_ids: runIds, metric: 'rmse', direction: 'max' },
      ctx,
    );
    expect(flipped.best?.run_id).toBe(runIds[1]);
    expect(flipped.direction_reason).toBe('as asked');
  });

  it('writes a self-contained HTML chart with --out', async () => {
    const { ctx } = await world.context();
    const out = await call<CompareOutput>(
      mlflowCompareRuns,
      { run_ids: runIds, metric: 'accuracy', out: 'reports/compare.html', force: true },
      ctx,
    );
    expect(out.chart_file).toBe(join('reports', 'compare.html'));
    const html = readFileSync(join(world.ws.root, 'reports', 'compare.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('★ lr-mid');
    expect(html).not.toMatch(/<script|https?:\/\//);
    const again = await callError(
      mlflowCompareRuns,
      { run_ids: runIds, metric: 'accuracy', out: 'reports/compare.html' },
      ctx,
    );
    expect(again.code).toBe('conflict');
  });

  it('caps the rows and writes the full table to a CSV', async () => {
    const { ctx } = await world.context();
    const out = await call<CompareOutput>(
      mlflowCompareRuns,
      { run_ids: runIds, metric: 'accuracy', max_rows: 1 },
      ctx,
    );
    expect(out.rows).toHaveLength(1);
    expect(out.truncated).toBe(true);
    const csv = readFileSync(join(world.ws.root, out.table_file ?? ''), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toBe('run_id,run_name,best,metrics.accuracy,metrics.rmse,params.depth,params.lr');
  });

  it('names the metrics that exist when asked for one no run has', async () => {
    const { ctx } = await world.context();
    const error = await callError(mlflowCompareRuns, { run_ids: runIds, metric: 'f1' }, ctx);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('No run has the metric "f1"');
    expect(error.hint).toBe('Metrics these runs have: accuracy, rmse');
  });

  it('says which run id is unknown', async () => {
    const { ctx } = await world.context();
    const error = await callError(
      mlflowCompareRuns,
      { run_ids: [runIds[0], 'f'.repeat(32)], metric: 'accuracy' },
      ctx,
    );
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('f'.repeat(32));
  });
});
