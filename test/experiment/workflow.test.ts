/**
 * The experiments workflow of issue 5 end to end, on the real MLflow server: a template project
 * trains three times with different regularisation; `experiment compare` names exactly the param
 * that differs and the run with the best accuracy; that run's model is registered and given the
 * `staging` alias; a fourth run compares itself with the run behind `staging`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentCompare } from '../../tools/experiment/compare-tool.js';
import { experimentRun } from '../../tools/experiment/run-experiment.js';
import { mlflowGetAlias } from '../../tools/mlflow/get-alias.js';
import { mlflowRegisterModel } from '../../tools/mlflow/register-model.js';
import { mlflowSetAlias } from '../../tools/mlflow/set-alias.js';
import { call, experimentProject, RUN_TIMEOUT, SETUP_TIMEOUT, type ExperimentProject } from './fixtures.js';

interface RunOutput {
  run_id: string;
  metrics: Record<string, number>;
  comparison?: { baseline: string; metrics: Array<{ metric: string; baseline?: number; value?: number }> };
}

interface CompareOutput {
  differing_params: string[];
  best?: { run_id: string; value: number };
  rows: Array<Record<string, string | number | boolean | null>>;
}

describe('experiment workflow: run, compare, register, alias, compare with the alias', () => {
  let fx: ExperimentProject;

  beforeAll(async () => {
    fx = await experimentProject('workflow');
  }, SETUP_TIMEOUT);
  afterAll(() => fx?.ws.cleanup());

  it(
    'finds the differing param and the best run, and promotes that run to staging',
    async () => {
      const runs: RunOutput[] = [];
      for (const c of ['0.001', '1', '100']) {
        runs.push(
          await call<RunOutput>(experimentRun, { project: fx.project, set: [`model.params.C=${c}`] }, fx.ctx),
        );
      }
      // Strong regularisation (C=0.001) predicts the majority class: the runs really differ.
      const accuracies = runs.map((run) => run.metrics.accuracy as number);
      expect(new Set(accuracies).size).toBeGreaterThan(1);
      const bestRun = runs[accuracies.indexOf(Math.max(...accuracies))] as RunOutput;

      const compared = await call<CompareOutput>(
        experimentCompare,
        { experiment: fx.experiment, runs: 3, metric: 'accuracy' },
        fx.ctx,
      );
      expect(compared.differing_params).toEqual(['model.params.C']);
      expect(compared.rows.map((row) => row.run_id).sort()).toEqual(runs.map((r) => r.run_id).sort());
      expect(compared.best).toMatchObject({ run_id: bestRun.run_id, value: Math.max(...accuracies) });

      const registered = await call<{ version: { version: string; run_id: string } }>(
        mlflowRegisterModel,
        { run_id: bestRun.run_id, name: fx.experiment, artifact_path: 'model' },
        fx.ctx,
      );
      expect(registered.version.run_id).toBe(bestRun.run_id);
      await call(
        mlflowSetAlias,
        { name: fx.experiment, alias: 'staging', model_version: registered.version.version },
        fx.ctx,
      );
      // On the server, not only in the tool's answer.
      const body = await fx.client.request<{ model_version: { run_id: string; version: string } }>(
        'GET',
        'registered-models/alias',
        { query: { name: fx.experiment, alias: 'staging' } },
      );
      expect(body.model_version).toMatchObject({
        run_id: bestRun.run_id,
        version: registered.version.version,
      });
      const viaTool = await call<{ version: { run_id: string } }>(
        mlflowGetAlias,
        { name: fx.experiment, alias: 'staging' },
        fx.ctx,
      );
      expect(viaTool.version.run_id).toBe(bestRun.run_id);

      // The registered model's name is the experiment's (no mlflow.registered_model in the config).
      const challenger = await call<RunOutput>(
        experimentRun,
        { project: fx.project, set: ['model.params.C=10'], compare_with: 'staging' },
        fx.ctx,
      );
      expect(challenger.comparison?.baseline).toContain('staging');
      const accuracy = challenger.comparison?.metrics.find((m) => m.metric === 'accuracy');
      expect(accuracy).toMatchObject({
        baseline: bestRun.metrics.accuracy,
        value: challenger.metrics.accuracy,
      });
    },
    RUN_TIMEOUT * 4,
  );
});
