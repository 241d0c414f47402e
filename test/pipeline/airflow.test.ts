/**
 * The three-stage template pipeline on a real `airflow standalone` (the shared test instance):
 * rendered as a DAG, deployed, parsed, triggered and followed, with the same outputs as the local
 * run; and a DAG file that does not parse is reported with Airflow's import error.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { airflowClient } from '../../tools/airflow/connect.js';
import { pipelineAddStage } from '../../tools/pipeline/add-stage.js';
import { pipelineCreate } from '../../tools/pipeline/create-pipeline.js';
import { dagIdFor } from '../../tools/pipeline/dag-source.js';
import { deployPipelineDag } from '../../tools/pipeline/run-airflow.js';
import { pipelineRun } from '../../tools/pipeline/run-pipeline.js';
import { pipelineShow } from '../../tools/pipeline/show-pipeline.js';
import { ensureServices } from '../helpers/services.js';
import {
  call,
  csvRows,
  SETUP_TIMEOUT,
  WEATHER_ROWS,
  weatherProject,
  type WeatherProject,
} from './fixtures.js';

const OUTPUTS = [
  'data/interim/NAME/clean.csv',
  'data/processed/NAME/features.csv',
  'data/processed/NAME/test.csv',
];

describe('pipeline run --environment airflow', () => {
  let p: WeatherProject;
  const name = `weather-${randomBytes(3).toString('hex')}`;
  const outputs = () => OUTPUTS.map((path) => join(p.dir, path.replace('NAME', name)));
  let deployed: string | undefined;

  beforeAll(async () => {
    const services = await ensureServices(['airflow']);
    p = await weatherProject(services.datastackYaml);
    await call(pipelineCreate, { project: p.project, name }, p.ctx);
    const add = (input: Record<string, unknown>) =>
      call(pipelineAddStage, { project: p.project, pipeline: name, ...input }, p.ctx);
    await add({
      name: 'clean',
      template: 'data-cleaning',
      inputs: ['data/raw/seattle-weather.csv'],
      params: { target: 'weather' },
    });
    await add({ name: 'features', template: 'feature-engineering' });
    await add({ name: 'train', algorithm: 'logistic-regression' });
  }, SETUP_TIMEOUT);
  afterAll(() => {
    if (deployed) rmSync(deployed, { force: true });
    p?.ws.cleanup();
  });

  it('runs each stage as a task and leaves the same outputs as the local run', async () => {
    const local = await call<{ status: string }>(pipelineRun, { project: p.project, pipeline: name }, p.ctx);
    expect(local.status).toBe('succeeded');
    const localFiles = outputs().map((file) => readFileSync(file, 'utf8'));
    for (const file of outputs()) rmSync(file);

    const out = await call<{
      status: string;
      dag_id: string;
      dag_file: string;
      stages: Array<{ name: string; status: string }>;
    }>(
      pipelineRun,
      { project: p.project, pipeline: name, environment: 'airflow', timeout_minutes: 10 },
      p.ctx,
    );
    deployed = out.dag_file.startsWith('/') ? out.dag_file : join(p.ws.root, out.dag_file);
    expect(out.status).toBe('succeeded');
    expect(out.dag_id).toBe(dagIdFor(name));
    expect(out.stages.map((s) => `${s.name}:${s.status}`)).toEqual([
      'clean:succeeded',
      'features:succeeded',
      'train:succeeded',
    ]);
    expect(csvRows(outputs()[0] ?? '')).toBe(WEATHER_ROWS);
    expect(outputs().map((file) => readFileSync(file, 'utf8'))).toEqual(localFiles);
    // The DAG holds one BashOperator per stage, in the order of the pipeline.
    const source = readFileSync(deployed, 'utf8');
    expect(source.match(/BashOperator\(/g)).toHaveLength(3);
    expect(source).toContain('t_clean >> t_features');
    const shown = await call<{ stages: Array<{ last_run?: string }> }>(
      pipelineShow,
      { project: p.project, pipeline: name },
      p.ctx,
    );
    expect(shown.stages.every((stage) => stage.last_run?.includes('on airflow'))).toBe(true);
  }, 900_000);

  it("reports Airflow's import error for a DAG file that does not parse", async () => {
    const client = await airflowClient(p.ctx);
    const dagId = `${dagIdFor(name)}_broken`;
    const source = `# airflow DAG\nfrom airflow.sdk import DAG\nraise ValueError("pipeline DAG broken on purpose")\n`;
    let error: unknown;
    try {
      await deployPipelineDag(client, dagId, source, p.ctx);
    } catch (caught) {
      error = caught;
    } finally {
      rmSync(join(client.dagsFolder ?? '', `${dagId}.py`), { force: true });
    }
    expect(error).toMatchObject({ code: 'invalid_input' });
    expect((error as Error).message).toContain('does not parse in Airflow');
    expect((error as Error).message).toContain('pipeline DAG broken on purpose');
  }, 300_000);
});
