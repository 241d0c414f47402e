/**
 * `init --dataset FILE --target COLUMN` on real public datasets (vega-datasets): the config is
 * filled from the file's columns and types (read by DuckDB through query_profile), the file is
 * copied into data/raw/, and the classification project then trains on it for real.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSetup } from '../../tools/env/setup-env.js';
import { projectInit } from '../../tools/project/init-project.js';
import type { ToolContext } from '../../tools/core/types.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, INSTALL_TIMEOUT, projectPython, readJson, VEGA_DATA } from './fixtures.js';

interface InitResult {
  project: string;
  package: string;
  task: string;
  features?: string[];
  dropped?: Array<{ column: string; reason: string }>;
  warnings?: string[];
}

type Config = { data: Record<string, unknown>; model: Record<string, unknown> };

describe('init with a dataset and a target', () => {
  let ws: TempWorkspace;
  let ctx: ToolContext;
  const config = (project: string) =>
    parse(readFileSync(join(ws.root, project, 'configs/experiment.yaml'), 'utf8')) as Config;

  beforeAll(async () => {
    ws = makeWorkspace();
    for (const file of ['seattle-weather.csv', 'cars.json', 'penguins.json']) {
      copyFileSync(join(VEGA_DATA, file), join(ws.root, file));
    }
    ctx = await contextFor(ws.root);
  });
  afterAll(() => ws.cleanup());

  it(
    'fits ml-classification to seattle-weather.csv (target weather) and trains on it',
    async () => {
      const init = await call<InitResult>(
        projectInit,
        { name: 'weather', template: 'ml-classification', dataset: 'seattle-weather.csv', target: 'weather' },
        ctx,
      );
      expect(init.task).toBe('classification');
      expect(init.dropped).toEqual([
        { column: 'date', reason: expect.stringContaining('date/time') as string },
      ]);
      const { data } = config('weather');
      expect(data).toMatchObject({
        source: 'data/raw/seattle-weather.csv',
        target: 'weather',
        numeric_features: ['precipitation', 'temp_max', 'temp_min', 'wind'],
        categorical_features: [],
      });
      const dir = join(ws.root, 'weather');
      expect(readFileSync(join(dir, 'data/raw/seattle-weather.csv'))).toEqual(
        readFileSync(join(ws.root, 'seattle-weather.csv')),
      );
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('predicts `weather`');

      await call(envSetup, { project: 'weather', auto: true }, ctx);
      const tests = projectPython(dir, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
      expect(tests.code, tests.output).toBe(0);
      const train = projectPython(dir, ['-m', 'weather.train']);
      expect(train.code, train.output).toBe(0);
      const metrics = readJson<Record<string, number>>(join(dir, 'metrics.json'));
      // Five kinds of weather; sun and rain make up most days. Far better than chance.
      expect(metrics.accuracy).toBeGreaterThan(0.6);
      expect(metrics.roc_auc).toBeGreaterThan(0.7);
    },
    INSTALL_TIMEOUT,
  );

  it('fits ml-regression to cars.json: numbers and low-cardinality text are features, names and dates are not', async () => {
    const init = await call<InitResult>(
      projectInit,
      {
        name: 'mpg',
        template: 'ml-regression',
        dataset: 'cars.json',
        target: 'Miles_per_Gallon',
        git: false,
      },
      ctx,
    );
    expect(init.task).toBe('regression');
    const { data } = config('mpg');
    expect(data.target).toBe('Miles_per_Gallon');
    expect(data.numeric_features).toEqual([
      'Cylinders',
      'Displacement',
      'Horsepower',
      'Weight_in_lbs',
      'Acceleration',
    ]);
    expect(data.categorical_features).toEqual(['Origin']);
    expect(init.dropped?.map((d) => d.column)).toEqual(['Name', 'Year']);
  });

  it('lets dl choose the task from the target: classes for Species, regression for body mass', async () => {
    await call(
      projectInit,
      { name: 'species', template: 'dl', dataset: 'penguins.json', target: 'Species', git: false },
      ctx,
    );
    expect(config('species').data).toMatchObject({ task: 'classification', target: 'Species' });
    expect(config('species').data.categorical_features).toEqual(['Island', 'Sex']);
    await call(
      projectInit,
      { name: 'mass', template: 'dl', dataset: 'penguins.json', target: 'Body Mass (g)', git: false },
      ctx,
    );
    expect(config('mass').data).toMatchObject({ task: 'regression', target: 'Body Mass (g)' });
    expect(config('mass').data.numeric_features).toContain('Flipper Length (mm)');
  });

  it('finds the time column for time-series and sizes lags and horizon to the series', async () => {
    await call(
      projectInit,
      {
        name: 'temps',
        template: 'time-series',
        dataset: 'seattle-weather.csv',
        target: 'temp_max',
        git: false,
      },
      ctx,
    );
    expect(config('temps').data).toMatchObject({ time_column: 'date', target: 'temp_max' });
    expect(config('temps').model).toMatchObject({ lags: 12, horizon: 24 });
  });

  it('picks the longest text column for nlp', async () => {
    const rows = ['id,title,body,label'];
    for (let i = 0; i < 40; i++) {
      const topic = i % 2 ? 'sport' : 'food';
      rows.push(
        `${i},t${i},"a long ${topic} story number ${i} with plenty of words about ${topic}",${topic}`,
      );
    }
    writeFileSync(join(ws.root, 'posts.csv'), `${rows.join('\n')}\n`);
    const init = await call<InitResult>(
      projectInit,
      { name: 'posts', template: 'nlp', dataset: 'posts.csv', target: 'label', git: false },
      ctx,
    );
    expect(config('posts').data).toMatchObject({ text_column: 'body', target: 'label' });
    expect(init.warnings?.[0]).toContain('"body"');
  });

  it('reads pixel columns and a square image shape for cv', async () => {
    const header = [...Array.from({ length: 16 }, (_, i) => `px${i}`), 'digit'];
    const rows = Array.from({ length: 30 }, (_, r) =>
      [...Array.from({ length: 16 }, (_, i) => (r * i) % 17), r % 3].join(','),
    );
    writeFileSync(join(ws.root, 'tiny-images.csv'), `${header.join(',')}\n${rows.join('\n')}\n`);
    await call(
      projectInit,
      { name: 'tiny', template: 'cv', dataset: 'tiny-images.csv', target: 'digit', git: false },
      ctx,
    );
    expect(config('tiny').data).toMatchObject({ target: 'digit', image_shape: [4, 4] });
    expect(config('tiny').data.pixel_columns).toHaveLength(16);
  });

  it('adds pyarrow to the dependencies for a Parquet dataset', async () => {
    copyFileSync(join(VEGA_DATA, 'flights-3m.parquet'), join(ws.root, 'flights.parquet'));
    await call(
      projectInit,
      { name: 'delays', template: 'ml-regression', dataset: 'flights.parquet', target: 'delay', git: false },
      ctx,
    );
    expect(readFileSync(join(ws.root, 'delays/pyproject.toml'), 'utf8')).toContain('"pyarrow==');
  }, 60_000);
});
