/**
 * Which MLflow experiment is "the project's": the one `experiment compare` reads when given no run
 * ids, and the one a training run logs to. First found wins: the profile's `mlflow.experiment`;
 * in `configs/experiment.yaml` `mlflow.experiment` (what the templates write), then `name`
 * (`baseline` when the file names none): the order of `experimentName` in
 * tools/experiment/experiment-config.ts, which `experiment run` and tracking.py follow; else, with
 * no such file, the project folder's name.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import type { MlflowClient } from './client.js';

export const EXPERIMENT_CONFIG = 'configs/experiment.yaml';

export interface ProjectExperiment {
  name: string;
  /** Where the name came from, said in errors. */
  from: string;
}

export async function projectExperimentName(ctx: ToolContext): Promise<ProjectExperiment> {
  const configured = ctx.config.mlflow?.experiment;
  if (configured) return { name: configured, from: 'mlflow.experiment in the profile' };
  const fromFile = await readExperimentConfig(join(ctx.workspace.root, EXPERIMENT_CONFIG));
  if (fromFile) return fromFile;
  return { name: basename(ctx.workspace.root), from: 'the project folder name' };
}

async function readExperimentConfig(path: string): Promise<ProjectExperiment | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new ToolError('config', `${EXPERIMENT_CONFIG} is not valid YAML: ${(error as Error).message}`, {
      hint: 'Fix the file, or name the experiment with mlflow.experiment in datastack.yaml',
    });
  }
  const section = (key: string) => {
    const value = (doc as Record<string, unknown> | null)?.[key];
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  };
  const candidates: Array<[unknown, string]> = [
    [section('mlflow')?.experiment, 'mlflow.experiment'],
    [(doc as Record<string, unknown> | null)?.name, 'name'],
  ];
  for (const [value, key] of candidates) {
    if (typeof value === 'string' && value.trim())
      return { name: value.trim(), from: `${key} in ${EXPERIMENT_CONFIG}` };
  }
  return { name: 'baseline', from: `${EXPERIMENT_CONFIG}, which names no experiment` };
}

/** The experiment's id; a clear not_found when the server has no experiment of that name. */
export async function experimentIdFor(
  client: MlflowClient,
  experiment: ProjectExperiment,
  signal?: AbortSignal,
): Promise<string> {
  const found = await client.getExperimentByName(experiment.name, signal);
  if (!found) {
    throw new ToolError(
      'not_found',
      `MLflow at ${client.base} has no experiment "${experiment.name}" (named by ${experiment.from})`,
      {
        hint: 'List experiments with `datastack mlflow list-experiments`; run one with `datastack experiment run`, or pass run ids',
      },
    );
  }
  return found.experiment_id;
}
