import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { SparkRun } from './runs.js';

const Input = z.object({
  file: z.string().min(1).describe('PySpark file in the workspace, e.g. jobs/daily_sales.py'),
  master: z
    .string()
    .optional()
    .describe(
      'local[*] / local[N] (spark-submit here) or spark://host:port (standalone REST API); default spark.master',
    ),
  conf: z
    .array(z.string())
    .default([])
    .describe('Extra Spark properties as key=value, e.g. spark.executor.memory=1g'),
  args: z.array(z.string()).default([]).describe('Arguments passed to the job (sys.argv[1:])'),
  ref: z
    .string()
    .optional()
    .describe('Nessie branch the lake catalog (`lake`) reads and writes (default: the default branch)'),
  name: z.string().optional().describe('Application name (default: the file name)'),
  track_all: z
    .boolean()
    .default(false)
    .describe('Log the Spark conf (no secrets), duration, state and job metrics to MLflow'),
});

const Output = SparkRun.extend({
  mlflow_run_id: z
    .string()
    .optional()
    .describe('The MLflow run with the conf, duration and metrics (track_all)'),
  metrics: z
    .record(z.string(), z.number())
    .optional()
    .describe('Totals from the event log: jobs, stages, tasks, records'),
});
type Output = z.infer<typeof Output>;

export const sparkSubmit = defineTool({
  name: 'spark_submit',
  title: 'Submit a Spark job',
  description:
    "Run a PySpark file locally (spark-submit, local[*]) or on a standalone cluster (REST submission API) and wait for it. The session has the lake's Iceberg catalog as `lake` on a Nessie branch (ref). Returns the app id, final state, duration and log path; a failure returns its error lines.",
  toolset: 'spark',
  positional: ['file'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  async run(input, ctx) {
    const { parseConfPairs } = await import('./session.js');
    const master = input.master ?? ctx.config.spark.master;
    const options = {
      master,
      conf: parseConfPairs(input.conf),
      args: input.args,
      ref: input.ref,
      name: input.name,
    };
    const run = await submit(ctx, input.file, options);
    const result: Output = { ...run };
    const app = await appDetails(ctx, run);
    if (app) result.metrics = app.metrics;
    if (input.track_all) {
      const { trackRun } = await import('./track.js');
      result.mlflow_run_id = await trackRun(ctx, run, run.conf ?? {}, app, run.metrics_file ?? '');
    }
    if (run.state !== 'FINISHED') {
      const lines = run.error_lines?.length
        ? `\n${fenceUntrusted('Spark driver log lines', run.error_lines.join('\n'))}`
        : '';
      throw new ToolError(
        'query_error',
        `Spark job ${run.app_id ?? run.submission_id ?? run.run_id} ${run.state}${lines}`,
        {
          hint: `Full driver log: ${run.log} (\`datastack spark logs ${run.run_id}\`)${result.mlflow_run_id ? `; MLflow run ${result.mlflow_run_id}` : ''}`,
        },
      );
    }
    return result;
  },
  toText: (run) =>
    [
      `Spark job ${run.app_id ?? run.run_id} ${run.state} in ${((run.duration_ms ?? 0) / 1000).toFixed(1)} s (${run.mode}, ${run.master}${run.ref ? `, lake on ${run.ref}` : ''})`,
      run.submission_id ? `submission: ${run.submission_id}` : '',
      run.metrics
        ? `metrics: ${Object.entries(run.metrics)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`
        : '',
      run.mlflow_run_id ? `MLflow run: ${run.mlflow_run_id}` : '',
      `log: ${run.log}`,
    ]
      .filter(Boolean)
      .join('\n'),
});

/** Local or cluster, by the master URL. */
export async function submit(
  ctx: ToolContext,
  file: string,
  options: import('./submit-local.js').SubmitOptions & { master: string },
) {
  if (/^local(\[[0-9*]+\])?$/.test(options.master)) {
    const { submitLocal } = await import('./submit-local.js');
    return submitLocal(ctx, file, options);
  }
  if (options.master.startsWith('spark://')) {
    const { submitCluster } = await import('./submit-cluster.js');
    return submitCluster(ctx, file, options);
  }
  throw new ToolError('invalid_input', `Unsupported master "${options.master}"`, {
    hint: 'Use local[*], local[N] or spark://host:port (a standalone master)',
  });
}

async function appDetails(ctx: ToolContext, run: SparkRun) {
  if (!run.event_log) return undefined;
  const { fromEventLog } = await import('./monitoring.js');
  try {
    return fromEventLog(run.event_log);
  } catch (error) {
    ctx.log.debug(`event log ${run.event_log}: ${String(error)}`);
    return undefined;
  }
}
