/**
 * A three-stage pipeline from the templates (clean → features → train) on seattle-weather.csv,
 * run locally in the project's real .venv: right outputs, a second run skips every stage, a
 * changed input reruns all, and a failing stage reports its error lines and log, leaving none of
 * its outputs behind.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineAddStage } from '../../tools/pipeline/add-stage.js';
import { pipelineCreate } from '../../tools/pipeline/create-pipeline.js';
import { pipelineRun } from '../../tools/pipeline/run-pipeline.js';
import { pipelineShow } from '../../tools/pipeline/show-pipeline.js';
import {
  call,
  callError,
  csvRows,
  RUN_TIMEOUT,
  SETUP_TIMEOUT,
  WEATHER_ROWS,
  weatherProject,
  type WeatherProject,
} from './fixtures.js';

interface RunOut {
  status: string;
  stages: Array<{ name: string; status: string; log?: string; error_lines?: string[] }>;
}

describe('pipeline run --environment local', () => {
  let p: WeatherProject;
  const statuses = (out: RunOut) => out.stages.map((stage) => `${stage.name}:${stage.status}`);
  const run = (input: Record<string, unknown> = {}) =>
    call<RunOut>(pipelineRun, { project: p.project, pipeline: 'weather', ...input }, p.ctx);

  beforeAll(async () => {
    p = await weatherProject();
    await call(pipelineCreate, { project: p.project, name: 'weather' }, p.ctx);
    const add = (input: Record<string, unknown>) =>
      call(pipelineAddStage, { project: p.project, pipeline: 'weather', ...input }, p.ctx);
    await add({
      name: 'clean',
      template: 'data-cleaning',
      inputs: ['data/raw/seattle-weather.csv'],
      params: { target: 'weather' },
    });
    await add({ name: 'features', template: 'feature-engineering' });
    await add({ name: 'train', algorithm: 'random-forest' });
  }, SETUP_TIMEOUT);
  afterAll(() => p?.ws.cleanup());

  it(
    'runs the three stages and writes their outputs',
    async () => {
      const out = await run();
      expect(out.status).toBe('succeeded');
      expect(statuses(out)).toEqual(['clean:succeeded', 'features:succeeded', 'train:succeeded']);
      expect(csvRows(join(p.dir, 'data/interim/weather/clean.csv'))).toBe(WEATHER_ROWS);
      const features = join(p.dir, 'data/processed/weather/features.csv');
      expect(csvRows(features)).toBe(WEATHER_ROWS);
      // The date became parts; the target passed through.
      expect(readFileSync(features, 'utf8').split('\n')[0]?.split(',')).toEqual(
        expect.arrayContaining(['date_year', 'date_month', 'date_dayofweek', 'weather']),
      );
      expect(existsSync(join(p.dir, 'models/weather/model.pkl'))).toBe(true);
      expect(csvRows(join(p.dir, 'data/processed/weather/test.csv'))).toBe(Math.ceil(WEATHER_ROWS * 0.2));
      for (const stage of out.stages) expect(existsSync(join(p.ws.root, stage.log ?? 'none'))).toBe(true);
    },
    RUN_TIMEOUT,
  );

  it(
    'skips every stage when nothing changed',
    async () => {
      const out = await run();
      expect(statuses(out)).toEqual(['clean:skipped', 'features:skipped', 'train:skipped']);
      const shown = await call<{ stages: Array<{ name: string; last_status?: string }> }>(
        pipelineShow,
        { project: p.project },
        p.ctx,
      );
      expect(shown.stages.map((s) => s.last_status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    },
    RUN_TIMEOUT,
  );

  it(
    'reruns every stage when the first stage input changes',
    async () => {
      const raw = join(p.dir, 'data/raw/seattle-weather.csv');
      const lines = readFileSync(raw, 'utf8').trim().split('\n');
      writeFileSync(raw, `${lines.slice(0, 1001).join('\n')}\n`);
      const out = await run();
      expect(statuses(out)).toEqual(['clean:succeeded', 'features:succeeded', 'train:succeeded']);
      expect(csvRows(join(p.dir, 'data/interim/weather/clean.csv'))).toBe(1000);
      expect(csvRows(join(p.dir, 'data/processed/weather/test.csv'))).toBe(200);
    },
    RUN_TIMEOUT,
  );

  it(
    '--from starts at a stage and runs it although it is unchanged',
    async () => {
      const out = await run({ from: 'train' });
      expect(statuses(out)).toEqual(['clean:not_run', 'features:not_run', 'train:succeeded']);
    },
    RUN_TIMEOUT,
  );

  it(
    'reports a failing stage with its error lines and log, and leaves no output of its own',
    async () => {
      await call(
        pipelineAddStage,
        {
          project: p.project,
          pipeline: 'weather',
          name: 'report',
          kind: 'command',
          command: 'echo half > reports/summary.txt; echo "ValueError: no column named revenue" >&2; exit 3',
          inputs: ['data/processed/weather/test.csv'],
          outputs: ['reports/summary.txt'],
        },
        p.ctx,
      );
      const error = await callError(pipelineRun, { project: p.project, pipeline: 'weather' }, p.ctx);
      expect(error.message).toContain('Stage report failed (exit code 3)');
      expect(error.message).toContain('ValueError: no column named revenue');
      expect(error.hint).toMatch(
        /Full log: weather\/\.datastack\/pipelines\/weather\/runs\/[^/]+\/report\.log/,
      );
      const log = /Full log: (\S+)\./.exec(error.hint ?? '')?.[1] ?? '';
      expect(readFileSync(join(p.ws.root, log), 'utf8')).toContain('ValueError: no column named revenue');
      expect(existsSync(join(p.dir, 'reports/summary.txt'))).toBe(false);
      // The stages before it were unchanged and stay in place.
      expect(existsSync(join(p.dir, 'models/weather/model.pkl'))).toBe(true);
      const shown = await call<{ stages: Array<{ name: string; last_status?: string }> }>(
        pipelineShow,
        { project: p.project },
        p.ctx,
      );
      expect(shown.stages.at(-1)?.last_status).toBe('failed');
    },
    RUN_TIMEOUT,
  );
});
