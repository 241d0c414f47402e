/**
 * A real project for the experiment tests: `init` from the ml-classification template fitted to
 * vega-datasets' seattle-weather.csv (packaged with the repo, nothing downloaded) with DVC
 * tracking the data, `env setup` (uv, from its cache), and everything committed, on a workspace
 * whose profile points at the test MLflow server. Each file gets its own experiment name, so
 * runs left on the shared server by other files or earlier runs never count.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { simpleGit } from 'simple-git';
import { envSetup } from '../../tools/env/setup-env.js';
import { projectInit } from '../../tools/project/init-project.js';
import { MlflowClient } from '../../tools/mlflow/client.js';
import type { ApiRun } from '../../tools/mlflow/model.js';
import type { ToolContext } from '../../tools/core/types.js';
import { ensureServices } from '../helpers/services.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, VEGA_DATA } from '../project/fixtures.js';

export { call, callError } from '../helpers/call.js';
export { readJson } from '../project/fixtures.js';

export interface ExperimentProject {
  ws: TempWorkspace;
  ctx: ToolContext;
  /** The project folder, relative to the workspace. */
  project: string;
  dir: string;
  experiment: string;
  client: MlflowClient;
  mlflowUrl: string;
}

export const SETUP_TIMEOUT = 300_000;
export const RUN_TIMEOUT = 180_000;

export async function experimentProject(label: string): Promise<ExperimentProject> {
  const services = await ensureServices(['mlflow']);
  const ws = makeWorkspace({ 'datastack.yaml': services.datastackYaml });
  copyFileSync(join(VEGA_DATA, 'seattle-weather.csv'), join(ws.root, 'seattle-weather.csv'));
  const ctx = await contextFor(ws.root);
  const project = 'weather';
  await call(
    projectInit,
    { name: project, template: 'ml-classification', dataset: 'seattle-weather.csv', target: 'weather', dvc: true },
    ctx,
  );
  await call(envSetup, { project, auto: true }, ctx);
  const dir = join(ws.root, project);
  const experiment = `${label}-${randomBytes(4).toString('hex')}`;
  editYaml(join(dir, 'configs/experiment.yaml'), (doc) => {
    (doc.mlflow as Record<string, unknown>).experiment = experiment;
  });
  // env setup records the environment in datastack.yaml: commit it with the config.
  await commitAll(dir, 'Experiment name for the tests; environment recorded');
  return { ws, ctx, project, dir, experiment, client: new MlflowClient({ url: services.mlflow.url }), mlflowUrl: services.mlflow.url };
}

export function editYaml(file: string, change: (doc: Record<string, unknown>) => void): void {
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(doc);
  writeFileSync(file, stringify(doc));
}

const IDENTITY = ['user.name=DataStack Tests', 'user.email=tests@localhost'];

export async function commitAll(dir: string, message: string): Promise<string> {
  const git = simpleGit({ baseDir: dir, config: IDENTITY });
  await git.add('-A');
  await git.commit(message, undefined, { '--no-verify': null, '--no-gpg-sign': null });
  return (await git.revparse(['HEAD'])).trim();
}

export async function headCommit(dir: string): Promise<string> {
  return (await simpleGit(dir).revparse(['HEAD'])).trim();
}

export function tagsOf(run: ApiRun): Record<string, string> {
  return Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));
}

export function paramsOf(run: ApiRun): Record<string, string> {
  return Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]));
}

export function metricsOf(run: ApiRun): Record<string, number> {
  return Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, Number(m.value)]));
}

/** Artifact paths of a run, one level deep into folders. */
export async function artifactPaths(client: MlflowClient, runId: string): Promise<string[]> {
  type Listing = { files?: Array<{ path: string; is_dir?: boolean }> };
  const top = await client.request<Listing>('GET', 'artifacts/list', { query: { run_id: runId } });
  const paths: string[] = [];
  for (const file of top.files ?? []) {
    if (!file.is_dir) {
      paths.push(file.path);
      continue;
    }
    const inner = await client.request<Listing>('GET', 'artifacts/list', { query: { run_id: runId, path: file.path } });
    paths.push(...(inner.files ?? []).map((f) => f.path));
  }
  return paths.sort();
}

/** Runs of the experiment, newest first. */
export async function experimentRuns(fixture: ExperimentProject): Promise<ApiRun[]> {
  const found = await fixture.client.getExperimentByName(fixture.experiment);
  if (!found) return [];
  const { runs } = await fixture.client.searchRuns({
    experimentIds: [found.experiment_id],
    orderBy: ['attributes.start_time DESC'],
    limit: 100,
  });
  return runs;
}
