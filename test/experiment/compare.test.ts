/**
 * `experiment compare` against the real MLflow server: the project's experiment named by the
 * profile, by configs/experiment.yaml or by the folder; explicit run ids; and one run of the
 * built CLI as a user types it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentCompare } from '../../tools/experiment/compare-tool.js';
import type { CompareOutput } from '../../tools/mlflow/compare-report.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import {
  call,
  callError,
  makeRuns,
  mlflowWorld,
  THREE_RUNS,
  unique,
  type MlflowWorld,
} from '../mlflow/fixtures.js';

let world: MlflowWorld;
let experiment: string;
let runIds: string[];
const projects: TempWorkspace[] = [];

/** A project on the test server; `experiment` goes in its profile when given. */
function project(files: Record<string, string> = {}, profileExperiment?: string): TempWorkspace {
  const yaml = profileExperiment
    ? world.datastackYaml.replace(
        /tracking_uri: (\S+)/,
        `tracking_uri: $1\n      experiment: ${profileExperiment}`,
      )
    : world.datastackYaml;
  const ws = makeWorkspace({ 'datastack.yaml': yaml, ...files });
  projects.push(ws);
  return ws;
}

beforeAll(async () => {
  world = await mlflowWorld();
  experiment = unique('exp');
  // An older run first, which --runs 3 must leave out.
  ({ runIds } = await makeRuns(world.client, experiment, [
    { name: 'old', params: { lr: '9' }, metrics: { accuracy: 0.99 } },
    ...THREE_RUNS,
  ]));
}, 300_000);
afterAll(() => {
  world?.cleanup();
  for (const ws of projects) ws.cleanup();
});

describe('experiment_compare', () => {
  it("compares the last N runs of the profile's experiment", async () => {
    const { ctx } = await world.context({ root: project({}, experiment).root });
    const out = await call<CompareOutput & { experiment: string }>(
      experimentCompare,
      { runs: 3, metric: 'accuracy' },
      ctx,
    );
    expect(out.experiment).toBe(experiment);
    expect(out.runs).toBe(3);
    expect(out.rows.map((r) => r.run_id)).toEqual([runIds[2], runIds[3], runIds[1]]);
    expect(out.best?.run_id).toBe(runIds[2]);
    expect(out.differing_params).toEqual(['depth', 'lr']);
  });

  it('reads the experiment name from configs/experiment.yaml, then falls back to the folder name', async () => {
    const fromConfig = project({
      'configs/experiment.yaml': `name: baseline\nmlflow:\n  experiment: ${experiment}\n`,
    });
    const { ctx } = await world.context({ root: fromConfig.root });
    const out = await call<CompareOutput & { experiment: string }>(
      experimentCompare,
      { runs: 2, metric: 'rmse' },
      ctx,
    );
    expect(out.experiment).toBe(experiment);
    expect(out.best?.run_id).toBe(runIds[3]);

    const bare = project();
    const folder = join(bare.root, experiment);
    mkdirSync(folder);
    writeFileSync(join(folder, 'datastack.yaml'), world.datastackYaml);
    const { ctx: inFolder } = await world.context({ root: folder });
    const named = await call<{ experiment: string }>(experimentCompare, { runs: 2 }, inFolder);
    expect(named.experiment).toBe(experiment);
  });

  it('compares explicit run ids', async () => {
    const { ctx } = await world.context({ root: project().root });
    const out = await call<CompareOutput>(
      experimentCompare,
      { run_ids: [runIds[0], runIds[1]], metric: 'accuracy' },
      ctx,
    );
    expect(out.best?.run_id).toBe(runIds[0]);
    expect(out.differing_params).toEqual(['depth', 'lr', 'seed']);
  });

  it('says which experiment it looked for, and which metrics exist', async () => {
    const missing = unique('missing');
    const { ctx } = await world.context({ root: project({}, missing).root });
    const error = await callError(experimentCompare, { runs: 3 }, ctx);
    expect(error.code).toBe('not_found');
    expect(error.message).toContain(`no experiment "${missing}" (named by mlflow.experiment in the profile)`);

    const { ctx: known } = await world.context({ root: project({}, experiment).root });
    const metric = await callError(experimentCompare, { runs: 3, metric: 'auc' }, known);
    expect(metric.code).toBe('invalid_input');
    expect(metric.hint).toBe('Metrics these runs have: accuracy, rmse');
  });
});

describe('datastack experiment compare (CLI)', () => {
  it('prints the table with the best run and the chart, and --json for scripts', async () => {
    const ws = project({}, experiment);
    const human = await runCli(['experiment', 'compare', '--runs', '3', '--metric', 'accuracy'], {
      cwd: ws.root,
    });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('differing_params: depth, lr');
    expect(human.stdout).toMatch(/\* lr-mid\s+█+\s+0\.88/);

    const json = await runCli(
      ['--json', 'experiment', 'compare', '--run-ids', `${runIds[1]},${runIds[3]}`, '--metric', 'rmse'],
      { cwd: ws.root },
    );
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as CompareOutput;
    expect(out.best?.run_id).toBe(runIds[3]);
    expect(out.direction).toBe('min');

    const bad = await runCli(['experiment', 'compare', '--runs', '3', '--metric', 'auc'], { cwd: ws.root });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('No run has the metric "auc"');
  });
});
