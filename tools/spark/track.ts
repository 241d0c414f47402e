/**
 * `--track-all`: one MLflow run per Spark submission, in the project's experiment. Params are the
 * session's Spark properties (secrets dropped), the file, master and branch; metrics are the
 * duration, the totals of the application's jobs and stages (from its event log), and whatever
 * the job wrote to the metrics JSON named by DATASTACK_SPARK_METRICS_FILE.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ToolContext } from '../core/types.js';
import type { AppDetails } from './monitoring.js';
import type { SparkRun } from './runs.js';
import { publicConf } from './session.js';

/** MLflow's param value limit (6000 chars in MLflow 3). */
const PARAM_MAX = 6000;

export async function trackRun(
  ctx: ToolContext,
  run: SparkRun,
  conf: Record<string, string>,
  app: AppDetails | undefined,
  jobMetricsFile: string,
): Promise<string> {
  const [{ mlflowClient }, { projectExperimentName }] = await Promise.all([
    import('../mlflow/connect.js'),
    import('../mlflow/project-experiment.js'),
  ]);
  const client = await mlflowClient(ctx);
  const experimentId = await client.ensureExperiment((await projectExperimentName(ctx)).name, ctx.signal);
  const created = await client.createRun(experimentId, {
    name: `spark ${run.file.replace(/^.*\//, '')}`,
    tags: {
      'datastack.kind': 'spark-submit',
      'datastack.spark.state': run.state,
      ...(run.app_id ? { 'datastack.spark.app_id': run.app_id } : {}),
      ...(run.submission_id ? { 'datastack.spark.submission_id': run.submission_id } : {}),
      'datastack.spark.log': run.log,
    },
    signal: ctx.signal,
  });
  const runId = created.info.run_id;
  const params: Record<string, string> = {
    file: run.file,
    master: run.master,
    mode: run.mode,
    ...(run.ref ? { ref: run.ref } : {}),
  };
  for (const [key, value] of Object.entries(publicConf(conf))) params[key] = value.slice(0, PARAM_MAX);
  const now = Date.now();
  const metrics: Record<string, number> = {
    duration_ms: run.duration_ms ?? 0,
    ...(run.exit_code !== undefined ? { exit_code: run.exit_code } : {}),
    ...Object.fromEntries(Object.entries(app?.metrics ?? {}).map(([k, v]) => [`spark.${k}`, v])),
    ...readJobMetrics(ctx, jobMetricsFile),
  };
  await client.logBatch(
    runId,
    {
      params,
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: now, step: 0 })),
    },
    ctx.signal,
  );
  await client.setRunStatus(
    runId,
    run.state === 'FINISHED' ? 'FINISHED' : run.state === 'KILLED' ? 'KILLED' : 'FAILED',
    ctx.signal,
  );
  return runId;
}

/** Numbers from the job's own metrics JSON (`{"rows": 10, "auc": 0.9}`); the rest is ignored. */
function readJobMetrics(ctx: ToolContext, path: string): Record<string, number> {
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(parsed).filter(
        (entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]),
      ),
    );
  } catch {
    ctx.log.warn(`The job's metrics file ${path} is not JSON; not logged`);
    return {};
  }
}
