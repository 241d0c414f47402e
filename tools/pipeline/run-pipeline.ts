/**
 * `datastack pipeline run [NAME] [--environment local|airflow] [--track-all] [--from S] [--force]`.
 * This module stays cheap to import (the CLI loads only it): the runners, YAML and MLflow load
 * inside `run`.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { fenceUntrusted } from '../core/fence.js';
import { StageResult } from './schemas.js';

const Input = z.object({
  pipeline: z.string().optional().describe("Pipeline name (default: the project's only pipeline)"),
  environment: z
    .enum(['local', 'airflow'])
    .default('local')
    .describe(
      'local: stages run here in order, unchanged ones skipped; airflow: rendered as a DAG, deployed, triggered and followed',
    ),
  track_all: z
    .boolean()
    .default(false)
    .describe('Track the run in MLflow: a parent run, one child run per stage'),
  from: z
    .string()
    .optional()
    .describe('Start at this stage (it always runs); earlier stages are taken as they are'),
  force: z.boolean().default(false).describe('Run every stage, even unchanged ones'),
  timeout_minutes: z
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(60)
    .describe('airflow: how long to follow the DAG run'),
  project: z.string().default('.').describe('Project folder'),
});

const Output = z.object({
  pipeline: z.string().describe('Pipeline name'),
  environment: z.string().describe('local or airflow'),
  run_id: z
    .string()
    .describe("DataStack's id of this run (its logs are under .datastack/pipelines/NAME/runs/ID)"),
  status: z.enum(['succeeded', 'failed', 'cancelled']).describe('How the run ended'),
  stages: z.array(StageResult).describe('Each stage in run order and what happened to it'),
  log_dir: z.string().optional().describe('local: folder of the stage logs'),
  dag_id: z.string().optional().describe('airflow: the DAG rendered from the pipeline'),
  dag_file: z.string().optional().describe('airflow: where the DAG file was deployed'),
  airflow_run_id: z.string().optional().describe('airflow: the DAG run'),
  mlflow_run_id: z.string().optional().describe('--track-all: the parent MLflow run'),
  mlflow_experiment: z.string().optional().describe('--track-all: its experiment'),
});
type Output = z.infer<typeof Output>;

export const pipelineRun = defineTool({
  name: 'pipeline_run',
  title: 'Run a pipeline',
  description:
    'Runs a project pipeline. local (default): stages in order on this machine, skipping those whose inputs, params and code are unchanged since their last success, stopping at the first failure with its error lines and log. airflow: renders a DAG (one BashOperator per stage), deploys it to the DAG folder, triggers it and follows it. track_all logs each stage as a child MLflow run.',
  toolset: 'pipeline',
  positional: ['pipeline'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  toText: (out) => summary(out),
  async run(input, ctx) {
    const [paths, { choosePipeline }, { loadPipeline }] = await Promise.all([
      import('./paths.js'),
      import('./pipeline-file.js'),
      import('./load-pipeline.js'),
    ]);
    const project = paths.resolvePipelineProject(ctx, input.project);
    const name = choosePipeline(project.dir, project.display, input.pipeline);
    const file = join(project.dir, paths.pipelineFile(name));
    const loaded = await loadPipeline(project.dir, file, ctx.workspace.display(file));
    const runId = paths.newRunId();
    const tracker = input.track_all
      ? await (
          await import('./track.js')
        ).startTracking(ctx, {
          name,
          file: loaded.display,
          runId,
          environment: input.environment,
          projectDir: project.dir,
        })
      : undefined;
    const base = { pipeline: name, environment: input.environment, run_id: runId };
    const tracked = tracker
      ? { mlflow_run_id: tracker.parentRunId, mlflow_experiment: tracker.experiment }
      : {};

    let result: Output;
    let error: Error | undefined;
    try {
      if (input.environment === 'airflow') {
        const { runOnAirflow } = await import('./run-airflow.js');
        // Airflow's workers have their own PATH: commands are pinned to the ones found on ours.
        const path = inheritedEnv().PATH;
        const outcome = await runOnAirflow(
          loaded,
          { projectDir: project.dir, runId, timeoutMs: input.timeout_minutes * 60_000, path },
          ctx,
        );
        await recordAirflow(project.dir, name, runId, outcome.stages);
        if (tracker)
          for (const stage of loaded.order)
            await tracker.stageEnded(
              stage,
              outcome.stages.find((s) => s.name === stage.name) ?? { name: stage.name, status: 'not_run' },
            );
        error = outcome.error;
        result = {
          ...base,
          status: outcome.status,
          stages: outcome.stages,
          dag_id: outcome.dagId,
          dag_file: outcome.dagFile,
          airflow_run_id: outcome.airflowRunId,
          ...tracked,
        };
      } else {
        const { runLocal } = await import('./run-local.js');
        const outcome = await runLocal(
          loaded,
          {
            projectDir: project.dir,
            runId,
            force: input.force,
            from: input.from,
            baseEnv: inheritedEnv(),
            observer: tracker,
          },
          ctx,
        );
        error = outcome.error;
        result = {
          ...base,
          status: outcome.status,
          stages: outcome.stages,
          log_dir: ctx.workspace.display(outcome.logDir),
          ...tracked,
        };
      }
    } catch (thrown) {
      await tracker?.finish('failed').catch(() => undefined);
      throw thrown;
    }
    await tracker?.finish(result.status);
    if (error) throw error;
    return result;
  },
});

/**
 * The environment stages inherit (PATH, HOME, proxies), read here at the edge as the stack's
 * runtimeFor does; importing that would load every service definition on each run.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  return process.env;
}

/** An Airflow run's outcome joins the local state, so `pipeline show` tells where each stage last ran. */
async function recordAirflow(
  projectDir: string,
  name: string,
  runId: string,
  stages: readonly StageResult[],
): Promise<void> {
  const { readState, writeState } = await import('./state.js');
  const { stateFile } = await import('./paths.js');
  const file = stateFile(projectDir, name);
  const state = readState(file);
  for (const stage of stages) {
    if (stage.status === 'not_run') continue;
    const status =
      stage.status === 'succeeded' ? 'succeeded' : stage.status === 'skipped' ? 'skipped' : 'failed';
    // The local fingerprint stays: Airflow's run does not tell us what the files were.
    state.stages[stage.name] = {
      ...state.stages[stage.name],
      status,
      run_id: runId,
      environment: 'airflow',
      finished_at: new Date().toISOString(),
      ...(stage.duration_ms !== undefined ? { duration_ms: stage.duration_ms } : {}),
    };
  }
  writeState(file, state);
}

function summary(out: Output): string {
  const lines = [`Pipeline ${out.pipeline} on ${out.environment}: ${out.status} (run ${out.run_id})`];
  for (const stage of out.stages) {
    const time = stage.duration_ms !== undefined ? ` in ${(stage.duration_ms / 1000).toFixed(1)} s` : '';
    lines.push(
      `- ${stage.name}: ${stage.status}${time}${stage.reason ? ` (${stage.reason})` : ''}${stage.log ? `, log ${stage.log}` : ''}`,
    );
    if (stage.error_lines?.length) lines.push(fenceUntrusted('stage output', stage.error_lines.join('\n')));
  }
  if (out.dag_id)
    lines.push(`DAG ${out.dag_id} (${out.dag_file ?? ''}), Airflow run ${out.airflow_run_id ?? ''}`);
  if (out.mlflow_run_id)
    lines.push(`MLflow: parent run ${out.mlflow_run_id} in experiment ${out.mlflow_experiment ?? ''}`);
  return lines.join('\n');
}
