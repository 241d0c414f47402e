/**
 * `experiment run` beyond the plain run, on the real MLflow server and real wandb: comparison with
 * a run id and with the run behind the registered model's `production` alias; an offline W&B run
 * whose summary holds the metrics; a training that logs to MLflow itself (the template's
 * tracking.py, run by MLflow's own venv) landing in DataStack's run; and Ctrl-C marking the run KILLED.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor } from '../helpers/workspace.js';
import { experimentRun } from '../../tools/experiment/run-experiment.js';
import { defaultCacheDir, venvBin } from '../../tools/stack/paths.js';
import { MLFLOW_VENV } from '../../tools/stack/services/mlflow.js';
import {
  call,
  callError,
  editYaml,
  experimentProject,
  experimentRuns,
  metricsOf,
  paramsOf,
  readJson,
  RUN_TIMEOUT,
  SETUP_TIMEOUT,
  type ExperimentProject,
} from './fixtures.js';

interface RunOutput {
  run_id: string;
  metrics: Record<string, number>;
  metrics_logged_by_script?: string[];
  comparison?: { baseline: string; metrics: Array<{ metric: string; value: number; baseline: number; delta: number; verdict: string }> };
  wandb_run?: string;
  warnings?: string[];
}

describe('experiment run: baselines, W&B and runs that log themselves', () => {
  let fx: ExperimentProject;
  let baseline: RunOutput;

  beforeAll(async () => {
    fx = await experimentProject('tracking');
    baseline = await call<RunOutput>(experimentRun, { project: fx.project, name: 'baseline' }, fx.ctx);
  }, SETUP_TIMEOUT);
  afterAll(() => fx?.ws.cleanup());

  it(
    'compares with a run id and with the production alias of the registered model, metric by metric',
    async () => {
      const byId = await call<RunOutput>(
        experimentRun,
        { project: fx.project, set: ['model.type=random_forest'], compare_with: baseline.run_id },
        fx.ctx,
      );
      expect(byId.comparison?.baseline).toBe(`run ${baseline.run_id}`);
      const accuracy = byId.comparison?.metrics.find((m) => m.metric === 'accuracy');
      expect(accuracy).toMatchObject({ value: byId.metrics.accuracy, baseline: baseline.metrics.accuracy });
      expect(accuracy?.delta).toBeCloseTo((byId.metrics.accuracy ?? 0) - (baseline.metrics.accuracy ?? 0), 9);
      expect(accuracy?.verdict).toBe(accuracy && accuracy.delta > 0 ? 'better' : accuracy?.delta === 0 ? 'same' : 'worse');

      // The model is named after the experiment (no mlflow.registered_model in the config).
      const name = fx.experiment;
      await fx.client.request('POST', 'registered-models/create', { body: { name } });
      const created = await fx.client.request<{ model_version: { version: string } }>('POST', 'model-versions/create', {
        body: { name, source: `runs:/${baseline.run_id}/model`, run_id: baseline.run_id },
      });
      await fx.client.request('POST', 'registered-models/alias', {
        body: { name, alias: 'production', version: created.model_version.version },
      });
      const vsProduction = await call<RunOutput>(
        experimentRun,
        { project: fx.project, set: ['data.test_size=0.3'], compare_with: 'production' },
        fx.ctx,
      );
      expect(vsProduction.comparison?.baseline).toContain(`production alias of model ${name}`);
      expect(vsProduction.comparison?.baseline).toContain(baseline.run_id);
      expect(vsProduction.comparison?.metrics.map((m) => m.metric).sort()).toEqual(Object.keys(baseline.metrics).sort());

      const noAlias = await callError(experimentRun, { project: fx.project, compare_with: 'staging' }, fx.ctx);
      expect(noAlias.code).toBe('not_found');
      expect(noAlias.message).toContain('"staging"');
    },
    RUN_TIMEOUT * 2,
  );

  it(
    'writes an offline W&B run whose summary holds the metrics',
    async () => {
      const output = await call<RunOutput>(experimentRun, { project: fx.project, track_wandb: true }, fx.ctx);
      expect(output.warnings ?? []).toEqual([]);
      expect(output.wandb_run).toMatch(/wandb\/offline-run-[^/]+$/);
      const runDir = join(fx.ws.root, output.wandb_run as string);
      const summary = readJson<Record<string, unknown>>(join(runDir, 'files', 'wandb-summary.json'));
      for (const [key, value] of Object.entries(output.metrics)) expect(summary[key]).toBeCloseTo(value, 9);
      const config = readFileSync(join(runDir, 'files', 'config.yaml'), 'utf8');
      expect(config).toContain('model.type');
      expect(readdirSync(join(runDir)).some((f) => f.endsWith('.wandb'))).toBe(true);
    },
    RUN_TIMEOUT,
  );

  it(
    "lands a training's own MLflow logging in DataStack's run, whatever experiment its config names",
    async () => {
      // MLflow's venv has mlflow and pyyaml: enough to run the template's tracking.py for real.
      const python = venvBin(defaultCacheDir(), 'python', MLFLOW_VENV);
      const script = join(fx.dir, 'self_logging.py');
      writeFileSync(
        script,
        [
          'import argparse, sys',
          "sys.path.insert(0, 'src')",
          'from weather.config import load_config',
          'from weather.tracking import finish_run',
          'args = argparse.ArgumentParser(); args.add_argument("--config"); config = load_config(args.parse_args().config)',
          "config['mlflow']['experiment'] = 'some-other-experiment'",
          "finish_run(config, {'accuracy': 0.75, 'self_only': 2.0}, {'model': config['model'], 'rows': 10})",
          '',
        ].join('\n'),
      );
      editYaml(join(fx.dir, 'datastack.yaml'), (doc) => {
        (doc.project as Record<string, unknown>).train = `${python} self_logging.py`;
      });
      const output = await call<RunOutput>(experimentRun, { project: fx.project, set: ['seed=3'] }, fx.ctx);
      expect(output.metrics_logged_by_script?.sort()).toEqual(['accuracy', 'self_only']);
      const run = await fx.client.getRun(output.run_id);
      expect(run.info.status).toBe('FINISHED');
      expect(metricsOf(run)).toEqual({ accuracy: 0.75, self_only: 2 });
      expect(paramsOf(run)).toMatchObject({ seed: '3', rows: '10', 'model.type': 'logistic_regression' });
      expect(await fx.client.getExperimentByName('some-other-experiment')).toBeUndefined();
    },
    RUN_TIMEOUT,
  );

  it(
    'stops the training on abort and marks its run KILLED',
    async () => {
      const marker = join(fx.dir, 'still-running');
      editYaml(join(fx.dir, 'datastack.yaml'), (doc) => {
        (doc.project as Record<string, unknown>).train =
          `python -c "import time; print('epoch 1', flush=True); time.sleep(60); open('still-running', 'w').write('x')"`;
      });
      const controller = new AbortController();
      const warnings: string[] = [];
      const ctx = await contextFor(fx.ws.root, {
        config: fx.ctx.config,
        log: { debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
        signal: controller.signal,
        progress: (update) => {
          if (update.message === 'epoch 1') controller.abort();
        },
      });
      const error = await callError(experimentRun, { project: fx.project }, ctx);
      expect(error.code).toBe('aborted');
      const [latest] = await experimentRuns(fx);
      expect(latest?.info.status).toBe('KILLED');
      expect(warnings.some((w) => w.includes(`${latest?.info.run_id} marked KILLED`))).toBe(true);
      expect(existsSync(marker)).toBe(false);
    },
    RUN_TIMEOUT,
  );
});
