/**
 * Bad input to `init`: each failure says what to do, and leaves nothing half-written behind (no
 * project folder, no temporary folder next to it).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectInit } from '../../tools/project/init-project.js';
import { TEMPLATE_NAMES } from '../../tools/project/templates.js';
import type { ToolContext } from '../../tools/core/types.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, callError, VEGA_DATA } from './fixtures.js';

describe('init refuses bad input clearly', () => {
  let ws: TempWorkspace;
  let ctx: ToolContext;
  const leftovers = () => readdirSync(ws.root).filter((name) => name.includes('.init-'));

  beforeAll(async () => {
    ws = makeWorkspace();
    copyFileSync(join(VEGA_DATA, 'seattle-weather.csv'), join(ws.root, 'weather.csv'));
    copyFileSync(join(VEGA_DATA, 'cars.json'), join(ws.root, 'cars.json'));
    copyFileSync(join(VEGA_DATA, 'penguins.json'), join(ws.root, 'penguins.json'));
    writeFileSync(join(ws.root, 'broken.parquet'), Buffer.from('PAR1 this is not parquet at all'));
    writeFileSync(join(ws.root, 'broken.json'), '{"a": 1,, "b": [}\n');
    ctx = await contextFor(ws.root);
  });
  afterAll(() => ws.cleanup());

  it('names the templates when the template is unknown', async () => {
    const error = await callError(projectInit, { name: 'x', template: 'ml-clustering' }, ctx);
    expect(error.code).toBe('invalid_input');
    for (const name of TEMPLATE_NAMES) expect(error.message).toContain(name);
    expect(existsSync(join(ws.root, 'x'))).toBe(false);
  });

  it('never writes into a non-empty folder without force, and keeps the old one with force', async () => {
    mkdirSync(join(ws.root, 'taken'));
    writeFileSync(join(ws.root, 'taken', 'notes.txt'), 'mine');
    const error = await callError(projectInit, { name: 'taken', template: 'nlp', git: false }, ctx);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('not empty');
    expect(error.hint).toContain('--force');
    expect(readdirSync(join(ws.root, 'taken'))).toEqual(['notes.txt']);

    const forced = await call<{ backup: string }>(
      projectInit,
      { name: 'taken', template: 'nlp', git: false, force: true },
      ctx,
    );
    expect(forced.backup).toMatch(/^taken\.bak-\d{14}$/);
    expect(readFileSync(join(ws.root, forced.backup, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(ws.root, 'taken', 'pyproject.toml'))).toBe(true);
  });

  it('uses an existing empty folder', async () => {
    mkdirSync(join(ws.root, 'empty'));
    await call(projectInit, { name: 'empty', template: 'cv', git: false }, ctx);
    expect(existsSync(join(ws.root, 'empty', 'configs', 'experiment.yaml'))).toBe(true);
  });

  it('lists the columns when the target is missing', async () => {
    const error = await callError(
      projectInit,
      { name: 'a', template: 'ml-classification', dataset: 'weather.csv', target: 'rainfall' },
      ctx,
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('No column "rainfall"');
    expect(error.hint).toBe('Columns: date, precipitation, temp_max, temp_min, wind, weather');
    const noTarget = await callError(
      projectInit,
      { name: 'a', template: 'ml-classification', dataset: 'weather.csv' },
      ctx,
    );
    expect(noTarget.message).toContain('--target is required');
    expect(noTarget.hint).toContain('weather');
  });

  it('sends a continuous target given to ml-classification to ml-regression', async () => {
    const error = await callError(
      projectInit,
      { name: 'a', template: 'ml-classification', dataset: 'cars.json', target: 'Horsepower' },
      ctx,
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/continuous number/);
    expect(error.hint).toContain('--template ml-regression');
  });

  it('sends a text target given to ml-regression to ml-classification', async () => {
    const error = await callError(
      projectInit,
      { name: 'a', template: 'ml-regression', dataset: 'cars.json', target: 'Origin' },
      ctx,
    );
    expect(error.message).toContain('not a number');
    expect(error.hint).toContain('--template ml-classification');
  });

  it('says when the dataset does not parse, or is not there', async () => {
    for (const file of ['broken.parquet', 'broken.json']) {
      const error = await callError(
        projectInit,
        { name: 'a', template: 'ml-regression', dataset: file, target: 'a' },
        ctx,
      );
      expect(error.code, file).toBe('invalid_input');
      expect(error.message).toContain(`${file} could not be read`);
    }
    const missing = await callError(
      projectInit,
      { name: 'a', template: 'ml-regression', dataset: 'nope.csv', target: 'a' },
      ctx,
    );
    expect(missing.code).toBe('not_found');
  });

  it('refuses a time series without a time column, and a target without a dataset', async () => {
    const error = await callError(
      projectInit,
      { name: 'a', template: 'time-series', dataset: 'penguins.json', target: 'Body Mass (g)' },
      ctx,
    );
    expect(error.message).toContain('No date or time column');
    const noData = await callError(projectInit, { name: 'a', template: 'nlp', target: 'label' }, ctx);
    expect(noData.message).toContain('--target needs --dataset');
  });

  it('refuses names that are not names, and folders outside the workspace', async () => {
    expect((await callError(projectInit, { name: 'bad name!', template: 'dl' }, ctx)).code).toBe(
      'invalid_input',
    );
    expect((await callError(projectInit, { name: '../outside', template: 'dl' }, ctx)).code).toBe(
      'outside_workspace',
    );
    expect((await callError(projectInit, { name: '.', template: 'dl' }, ctx)).code).toBe('invalid_input');
  });

  it('left nothing half-written behind', () => {
    expect(existsSync(join(ws.root, 'a'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
