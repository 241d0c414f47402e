/** `generate pipeline` on seattle-weather.csv: a four-stage pipeline from its real columns, run end to end. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineGenerate } from '../../tools/pipeline/generate-pipeline.js';
import { pipelineRun } from '../../tools/pipeline/run-pipeline.js';
import {
  call,
  callError,
  RUN_TIMEOUT,
  SETUP_TIMEOUT,
  weatherProject,
  type WeatherProject,
} from './fixtures.js';

describe('generate pipeline', () => {
  let p: WeatherProject;
  beforeAll(async () => {
    p = await weatherProject();
  }, SETUP_TIMEOUT);
  afterAll(() => p?.ws.cleanup());

  it(
    'writes clean → features → train → evaluate from the dataset columns, and it runs',
    async () => {
      const out = await call<{
        pipeline: string;
        task: string;
        dataset: string;
        columns: Record<string, string[]>;
        stages: Array<{ name: string; script: string }>;
      }>(pipelineGenerate, { project: p.project, target: 'weather', algorithm: 'gradient-boosting' }, p.ctx);
      expect(out.pipeline).toBe('weather');
      expect(out.task).toBe('classification');
      expect(out.dataset).toBe('data/raw/seattle-weather.csv');
      expect(out.columns.numeric).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind']);
      expect(out.columns.dates).toEqual(['date']);
      expect(out.stages.map((s) => s.name)).toEqual(['clean', 'features', 'train', 'evaluate']);
      for (const stage of out.stages) expect(existsSync(join(p.dir, stage.script))).toBe(true);

      const run = await call<{ status: string; stages: Array<{ status: string }> }>(
        pipelineRun,
        { project: p.project },
        p.ctx,
      );
      expect(run.status).toBe('succeeded');
      expect(run.stages.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
      const metrics = JSON.parse(readFileSync(join(p.dir, 'reports/weather/metrics.json'), 'utf8')) as Record<
        string,
        number
      >;
      expect(metrics.test_rows).toBe(293);
      expect(metrics.accuracy).toBeGreaterThan(0.5);
    },
    RUN_TIMEOUT,
  );

  it('refuses an existing pipeline and an unknown target', async () => {
    expect((await callError(pipelineGenerate, { project: p.project, target: 'weather' }, p.ctx)).code).toBe(
      'conflict',
    );
    const error = await callError(
      pipelineGenerate,
      { project: p.project, target: 'revenue', name: 'other' },
      p.ctx,
    );
    expect(error.message).toContain('revenue');
  });
});
