/**
 * `pipeline run --environment airflow`: the pipeline rendered as a DAG file, deployed to the
 * profile's DAG folder, parsed (Airflow's import error reported if not), unpaused, triggered and
 * followed to the end, through the Airflow toolset's client functions. Ctrl-C stops following;
 * the run is then marked failed on Airflow so nothing goes on that the user did not ask for.
 */
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import type { ToolContext } from '../core/types.js';
import type { AirflowClient } from '../airflow/client.js';
import type { LoadedPipeline } from './load-pipeline.js';
import { dagIdFor, renderDag, taskIdFor } from './dag-source.js';
import type { StageResult } from './schemas.js';

export interface AirflowRunResult {
  status: 'succeeded' | 'failed' | 'cancelled';
  stages: StageResult[];
  dagId: string;
  dagFile: string;
  airflowRunId: string;
  error?: ToolError;
}

const STATE_TO_STATUS: Record<string, StageResult['status']> = {
  success: 'succeeded',
  failed: 'failed',
  upstream_failed: 'upstream_failed',
  skipped: 'skipped',
  running: 'running',
  queued: 'queued',
  scheduled: 'queued',
};

export async function runOnAirflow(
  pipeline: LoadedPipeline,
  options: { projectDir: string; runId: string; timeoutMs: number; path: string | undefined },
  ctx: ToolContext,
): Promise<AirflowRunResult> {
  const { airflowClient } = await import('../airflow/connect.js');
  const client = await airflowClient(ctx);
  const dagId = dagIdFor(pipeline.spec.name);
  const source = renderDag(pipeline, {
    projectDir: options.projectDir,
    profile: ctx.config.profile,
    path: options.path,
  });
  const deployed = await deployPipelineDag(client, dagId, source, ctx);

  const [{ setPaused }, runs] = await Promise.all([
    import('../airflow/dags.js'),
    import('../airflow/runs.js'),
  ]);
  await setPaused(client, dagId, false, ctx.signal);
  const run = await runs.triggerRun(client, dagId, {
    note: `datastack pipeline run ${options.runId}`,
    signal: ctx.signal,
  });
  const total = pipeline.order.length;
  let done = 0;
  ctx.progress({ done, total, message: `${dagId}: run ${run.dag_run_id} triggered` });
  const followed = await runs.waitForRun(client, dagId, run.dag_run_id, {
    timeoutMs: options.timeoutMs,
    signal: ctx.signal,
    onChange(changes, tasks) {
      done = tasks.filter(
        (task) => task.state && ['success', 'failed', 'upstream_failed', 'skipped'].includes(task.state),
      ).length;
      for (const change of changes)
        ctx.progress({ done, total, message: `${change.task_id}: ${change.to ?? 'none'}` });
    },
  });
  const byTask = new Map(followed.tasks.map((task) => [task.task_id, task]));
  const stages: StageResult[] = pipeline.order.map((stage) => {
    const task = byTask.get(taskIdFor(stage.name));
    return {
      name: stage.name,
      status: (task?.state && STATE_TO_STATUS[task.state]) || 'not_run',
      ...(typeof task?.duration === 'number' ? { duration_ms: Math.round(task.duration * 1000) } : {}),
    };
  });
  const base = { stages, dagId, dagFile: ctx.workspace.display(deployed), airflowRunId: run.dag_run_id };

  if (followed.outcome !== 'finished') {
    // We stop following; the run must not go on unasked.
    await client
      .request('PATCH', `${runs.runPath(dagId, run.dag_run_id)}`, { body: { state: 'failed' } })
      .catch(() => undefined);
    const why =
      followed.outcome === 'timeout'
        ? `did not finish within ${Math.round(options.timeoutMs / 60_000)} min`
        : 'was cancelled';
    return {
      ...base,
      status: 'cancelled',
      error: new ToolError(
        followed.outcome === 'timeout' ? 'timeout' : 'aborted',
        `Airflow run ${run.dag_run_id} of ${dagId} ${why}; it was marked failed on Airflow`,
      ),
    };
  }
  if (followed.run.state === 'success') return { ...base, status: 'succeeded' };

  const failed = followed.tasks.find((task) => task.state === 'failed');
  let lines: string[] = [];
  if (failed) {
    const { readTaskLog } = await import('../airflow/logs.js');
    const log = await readTaskLog(client, {
      dagId,
      runId: run.dag_run_id,
      taskId: failed.task_id,
      tryNumber: failed.try_number,
    }).catch(() => undefined);
    lines = log ? (log.errorLines.length ? log.errorLines : log.lines).slice(-20) : [];
    const stage = stages.find((s) => taskIdFor(s.name) === failed.task_id);
    if (stage) stage.error_lines = lines;
  }
  return {
    ...base,
    status: 'failed',
    error: new ToolError(
      'invalid_input',
      `Airflow run ${run.dag_run_id} of ${dagId} failed${failed ? ` at task ${failed.task_id}` : ''}${lines.length ? `. Last lines:\n${fenceUntrusted('task log', lines.join('\n'))}` : ''}`,
      {
        hint: `Whole log: \`datastack airflow task-logs ${dagId} ${run.dag_run_id} ${failed?.task_id ?? 'TASK'}\``,
      },
    ),
  };
}

/** Deploys the DAG source and waits until Airflow has parsed this version (its import error if not). */
export async function deployPipelineDag(
  client: AirflowClient,
  dagId: string,
  source: string,
  ctx: ToolContext,
): Promise<string> {
  const { deployDagSource, waitForDagParsed } = await import('../airflow/deploy.js');
  const deployed = deployDagSource(client, `${dagId}.py`, source);
  ctx.progress({ done: 0, message: `deployed ${deployed.path}; waiting for Airflow to parse it` });
  await waitForDagParsed(client, dagId, {
    since: deployed.deployedAt,
    relativePath: deployed.relativePath,
    signal: ctx.signal,
    onWaiting: (elapsed) =>
      ctx.progress({
        done: 0,
        message: `waiting for Airflow to parse ${dagId} (${Math.round(elapsed / 1000)} s)`,
      }),
  });
  return deployed.path;
}
