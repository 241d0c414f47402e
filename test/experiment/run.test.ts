/**
 * `experiment run` against the real MLflow server: a template project trains three times with
 * different --set params; each run is on the server with its params, metrics, artifacts and
 * provenance tags. A failing training leaves its run FAILED with the error lines; a dirty tree is
 * recorded as such; a project without an environment is told how to make one.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentRun } from '../../tools/experiment/run-experiment.js';
import { envLockHash } from '../../tools/experiment/provenance.js';
import {
  artifactPaths,
  call,
  callError,
  experimentProject,
  experimentRuns,
  headCommit,
  metricsOf,
  paramsOf,
  readJson,
  RUN_TIMEOUT,
  SETUP_TIMEOUT,
  tagsOf,
  type ExperimentProject,
} from './fixtures.js';

interface RunOutput {
  run_id: string;
  status: string;
  experiment: string;
  metrics: Record<string, number>;
  artifacts: string[];
  run_folder: string;
  log_file: string;
  provenance: {
    commit: string;
    dirty: boolean;
    branch: string;
    data: Array<{ path: string; md5: string }>;
    env_lock: string;
  };
  warnings?: string[];
}

describe('experiment run', () => {
  let fx: ExperimentProject;

  beforeAll(async () => {
    fx = await experimentProject('run');
  }, SETUP_TIMEOUT);
  afterAll(() => fx?.ws.cleanup());

  it(
    'runs three experiments with different params, each with params, metrics, artifacts and provenance on the server',
    async () => {
      const head = await headCommit(fx.dir);
      const dvcMd5 = (
        parse(readFileSync(join(fx.dir, 'data/raw/seattle-weather.csv.dvc'), 'utf8')) as {
          outs: Array<{ md5: string }>;
        }
      ).outs[0]?.md5;
      expect(dvcMd5).toMatch(/^[0-9a-f]{32}$/);
      const variants = [
        ['model.type=logistic_regression', 'data.test_size=0.2'],
        ['model.type=random_forest', 'model.params.max_depth=4'],
        ['model.type=random_forest', 'data.test_size=0.3', 'seed=7'],
      ];
      const outputs: RunOutput[] = [];
      for (const [index, set] of variants.entries()) {
        const output = await call<RunOutput>(
          experimentRun,
          { project: fx.project, set, name: `variant-${index}` },
          fx.ctx,
        );
        outputs.push(output);
        const metricsFile = readJson<Record<string, number>>(join(fx.dir, 'metrics.json'));
        expect(output.metrics).toEqual(metricsFile);
        expect(output.status).toBe('FINISHED');

        const run = await fx.client.getRun(output.run_id);
        expect(run.info.status).toBe('FINISHED');
        expect(run.info.run_name).toBe(`variant-${index}`);
        expect(metricsOf(run)).toEqual(metricsFile);
        const params = paramsOf(run);
        for (const pair of set) {
          const [key, value] = pair.split('=') as [string, string];
          expect(params[key]).toBe(value);
        }
        expect(params['data.target']).toBe('weather');

        const tags = tagsOf(run);
        expect(tags['mlflow.source.git.commit']).toBe(head);
        expect(tags['datastack.git.dirty']).toBe('false');
        expect(tags['datastack.git.branch']).toBe('main');
        expect(tags['datastack.data.data/raw/seattle-weather.csv']).toBe(dvcMd5);
        expect(tags['datastack.version']).toMatch(/^\d+\.\d+\.\d+/);
        expect(tags['datastack.config']).toBe('configs/experiment.yaml');
        expect(JSON.parse(tags['datastack.overrides'] ?? '[]')).toEqual(set);
        expect(tags['datastack.command']).toContain('datastack experiment run');
        // No requirements.lock in the project: one was written into the run's folder and hashed.
        const lock = join(fx.ws.root, output.run_folder, 'requirements.lock');
        expect(readFileSync(lock, 'utf8')).toContain('scikit-learn==1.9.1');
        expect(tags['datastack.env.lock']).toBe(envLockHash(lock));

        expect(await artifactPaths(fx.client, output.run_id)).toEqual([
          'config/experiment.yaml',
          'environment/requirements.lock',
          'logs/train.log',
          'metrics.json',
          'model/model.joblib',
        ]);
        expect(existsSync(join(fx.ws.root, output.log_file))).toBe(true);
        // The effective config holds the overrides; the user's config file does not.
        const effective = readFileSync(join(fx.ws.root, output.run_folder, 'experiment.yaml'), 'utf8');
        expect(effective).toContain(set[0]?.split('=')[1]);
      }
      expect(readFileSync(join(fx.dir, 'configs/experiment.yaml'), 'utf8')).not.toContain('random_forest');
      expect(new Set(outputs.map((o) => o.run_id)).size).toBe(3);
      // Different params, different models: the metrics are not all the same.
      expect(new Set(outputs.map((o) => JSON.stringify(o.metrics))).size).toBeGreaterThan(1);
      // The same environment hashes the same in every run, though each lock file is dated.
      expect(new Set(outputs.map((o) => o.provenance.env_lock)).size).toBe(1);
    },
    RUN_TIMEOUT * 3,
  );

  it(
    'marks a failing training FAILED with the error lines, and says where the full log is',
    async () => {
      const error = await callError(
        experimentRun,
        { project: fx.project, set: ['model.type=bogus_model'] },
        fx.ctx,
      );
      expect(error.message).toContain('marked FAILED');
      expect(error.message).toContain("model.type 'bogus_model' is not one of");
      expect(error.message).toMatch(/<untrusted-data-[0-9a-f]+>\n[^]*bogus_model[^]*<\/untrusted-data-/);
      expect(error.hint).toMatch(/Full log: .*train\.log/);
      const runId = /run ([0-9a-f]{32})/.exec(error.message)?.[1] as string;
      const run = await fx.client.getRun(runId);
      expect(run.info.status).toBe('FAILED');
      expect(tagsOf(run)['datastack.error']).toContain('bogus_model');
      expect(await artifactPaths(fx.client, runId)).toEqual(['logs/train.log']);
      // Nothing stays RUNNING in the experiment.
      expect((await experimentRuns(fx)).filter((r) => r.info.status === 'RUNNING')).toEqual([]);
    },
    RUN_TIMEOUT,
  );

  it(
    'records a dirty working tree and warns that the run cannot be reproduced',
    async () => {
      const readme = join(fx.dir, 'README.md');
      const before = readFileSync(readme, 'utf8');
      writeFileSync(readme, `${before}\nA local note.\n`);
      try {
        const output = await call<RunOutput>(experimentRun, { project: fx.project }, fx.ctx);
        expect(output.provenance.dirty).toBe(true);
        expect(tagsOf(await fx.client.getRun(output.run_id))['datastack.git.dirty']).toBe('true');
        expect(output.warnings?.[0]).toContain('README.md');
      } finally {
        writeFileSync(readme, before);
      }
    },
    RUN_TIMEOUT,
  );

  it('refuses a project without an environment or a config, naming the fix', async () => {
    const venvless = fx.ws.write('bare/datastack.yaml', 'project:\n  package: bare\n');
    fx.ws.write('bare/configs/experiment.yaml', 'name: bare\n');
    const noEnv = await callError(experimentRun, { project: 'bare' }, fx.ctx);
    expect(noEnv.code).toBe('config');
    expect(noEnv.hint).toContain('datastack env setup');
    rmSync(venvless);
    const noConfig = await callError(
      experimentRun,
      { project: fx.project, config: 'configs/nope.yaml' },
      fx.ctx,
    );
    expect(noConfig.code).toBe('not_found');
    const badSet = await callError(experimentRun, { project: fx.project, set: ['model.type'] }, fx.ctx);
    expect(badSet.message).toContain('key.path=value');
  });
});
