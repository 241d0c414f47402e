/**
 * `pipeline run --track-all` against the real MLflow tracking server: a parent run for the
 * pipeline run and one child run per stage (tag mlflow.parentRunId) with its params, state,
 * duration and the metrics of the metrics.json it writes.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlflowClient } from '../../tools/mlflow/client.js';
import type { ApiRun } from '../../tools/mlflow/model.js';
import { pipelineRun } from '../../tools/pipeline/run-pipeline.js';
import { ensureServices } from '../helpers/services.js';
import { call, callError } from '../helpers/call.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const tags = (run: ApiRun) => Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));
const metrics = (run: ApiRun) => Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]));

/** The test services' datastack.yaml with MLflow runs going to `experiment`. */
function withExperiment(yaml: string, experiment: string): string {
  const doc = parse(yaml) as { profiles: { stack: { mlflow?: Record<string, unknown> } } };
  doc.profiles.stack.mlflow = { ...doc.profiles.stack.mlflow, experiment };
  return stringify(doc);
}

describe('pipeline run --track-all', () => {
  let ws: TempWorkspace;
  let client: MlflowClient;
  const experiment = `pipeline-track-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    const services = await ensureServices(['mlflow']);
    client = new MlflowClient({ url: services.mlflow.url });
    ws = makeWorkspace({
      'datastack.yaml': withExperiment(services.datastackYaml, experiment),
      'pipelines/scores.yaml': [
        'name: scores',
        'stages:',
        '  - name: prepare',
        '    kind: command',
        '    command: "mkdir -p out && seq 1 10 > out/numbers.txt"',
        '    outputs: [out/numbers.txt]',
        '    params: {count: 10}',
        '  - name: score',
        '    kind: command',
        `    command: "echo '{\\"accuracy\\": 0.9, \\"loss\\": {\\"train\\": 0.25}}' > out/metrics.json"`,
        '    inputs: [out/numbers.txt]',
        '    outputs: [out/metrics.json]',
        '  - name: broken',
        '    kind: command',
        '    command: "echo failing on purpose >&2; exit 1"',
        '    inputs: [out/metrics.json]',
      ].join('\n'),
    });
  }, 300_000);
  afterAll(() => ws?.cleanup());

  it('nests one child run per stage under the pipeline run, failed stage and parent marked FAILED', async () => {
    const ctx = await contextFor(ws.root);
    const error = await callError(pipelineRun, { pipeline: 'scores', track_all: true }, ctx);
    expect(error.message).toContain('Stage broken failed');
    const experimentId = (await client.getExperimentByName(experiment))?.experiment_id ?? '';
    const { runs } = await client.searchRuns({ experimentIds: [experimentId], limit: 50 });
    const parent = runs.find((run) => !tags(run)['mlflow.parentRunId']);
    expect(parent?.info.status).toBe('FAILED');
    const children = runs.filter((run) => tags(run)['mlflow.parentRunId'] === parent?.info.run_id);
    expect(children.map((run) => run.info.run_name).sort()).toEqual(['broken', 'prepare', 'score']);
    const byName = new Map(children.map((run) => [run.info.run_name, run]));
    expect(byName.get('prepare')?.info.status).toBe('FINISHED');
    expect(
      Object.fromEntries((byName.get('prepare')?.data.params ?? []).map((p) => [p.key, p.value])),
    ).toMatchObject({ kind: 'command', count: '10' });
    expect(metrics(byName.get('score') as ApiRun)).toMatchObject({ accuracy: 0.9, 'loss.train': 0.25 });
    expect(metrics(byName.get('score') as ApiRun).duration_s).toBeGreaterThanOrEqual(0);
    expect(byName.get('broken')?.info.status).toBe('FAILED');
    expect(tags(byName.get('broken') as ApiRun)['datastack.stage.state']).toBe('failed');
  }, 120_000);

  it('logs skipped stages as finished children of a new parent run', async () => {
    const ctx = await contextFor(ws.root);
    const file = join(ws.root, 'pipelines/scores.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').split('  - name: broken')[0] ?? '');
    const out = await call<{
      status: string;
      mlflow_run_id: string;
      stages: Array<{ status: string; mlflow_run_id?: string }>;
    }>(pipelineRun, { pipeline: 'scores', track_all: true }, ctx);
    expect(out.status).toBe('succeeded');
    expect(out.stages.map((s) => s.status)).toEqual(['skipped', 'skipped']);
    const parent = await client.getRun(out.mlflow_run_id);
    expect(parent.info.status).toBe('FINISHED');
    for (const stage of out.stages)
      expect(tags(await client.getRun(stage.mlflow_run_id ?? ''))['mlflow.parentRunId']).toBe(
        out.mlflow_run_id,
      );
  }, 120_000);
});
